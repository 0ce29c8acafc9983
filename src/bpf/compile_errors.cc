#include "bpf/compile_errors.h"

#include <re2/re2.h>

#include <sstream>
#include <vector>
#include "config/values.h"

namespace bcc {

namespace {

using config::trim;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) out.push_back(line);
  return out;
}

// The 1-based line of `source` holding `quoted`, the nearest at or above
// `reported` (insertions only push lines down), else the nearest below; 0
// when none does.
int line_holding(const std::vector<std::string>& source, const std::string& quoted,
                 int reported) {
  std::string code = trim(quoted);
  if (code.empty()) return 0;
  int best = 0;
  for (int i = 1; i <= static_cast<int>(source.size()); i++) {
    if (source[i - 1].find(code) == std::string::npos) continue;
    if (i <= reported || best == 0) best = i;
    if (i >= reported) break;
  }
  return best;
}

// The text as clang numbers its lines: after a prelude that ends with
// "#line 1", the program proper starts again at line 1.
std::string numbered_text(const std::string& source) {
  static const std::string restart = "\n#line 1\n";
  size_t at = source.find(restart);
  return at == std::string::npos ? source : source.substr(at + restart.size());
}

}  // namespace

std::string compile_errors(const std::string& compiler_output, const std::string& source) {
  static const RE2 located(R"(^(.*?):(\d+):(\d+): (error: .*)$)");
  std::vector<std::string> output = lines_of(compiler_output);
  std::vector<std::string> program = lines_of(numbered_text(source));
  std::string out;
  for (size_t i = 0; i < output.size(); i++) {
    if (output[i].find("error:") == std::string::npos) continue;
    std::string line = output[i], name, message;
    int reported = 0, column = 0;
    if (RE2::FullMatch(output[i], located, &name, &reported, &column, &message) &&
        i + 1 < output.size()) {
      int real = line_holding(program, output[i + 1], reported);
      if (real > 0)
        line = name + ":" + std::to_string(real) + ":" + std::to_string(column) + ": " + message;
    }
    out += (out.empty() ? "" : " | ") + line;
  }
  return out;
}

}  // namespace bcc
