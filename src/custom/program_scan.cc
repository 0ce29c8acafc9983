#include "custom/program_scan.h"

#include <re2/re2.h>

#include <algorithm>

namespace bcc {

std::string code_only(const std::string& source) {
  std::string out = source;
  enum { code, line_comment, block_comment, string_literal, char_literal } state = code;
  for (size_t i = 0; i < out.size(); i++) {
    char c = out[i], next = i + 1 < out.size() ? out[i + 1] : '\0';
    switch (state) {
      case code:
        if (c == '/' && next == '/') state = line_comment;
        else if (c == '/' && next == '*') state = block_comment;
        else if (c == '"') state = string_literal;
        else if (c == '\'') state = char_literal;
        if (state == line_comment || state == block_comment) out[i] = out[i + 1] = ' ', i++;
        break;
      case line_comment:
        if (c == '\n') state = code;
        else out[i] = ' ';
        break;
      case block_comment:
        if (c == '*' && next == '/') {
          out[i] = out[i + 1] = ' ';
          i++;
          state = code;
        } else if (c != '\n') {
          out[i] = ' ';
        }
        break;
      case string_literal:
      case char_literal:
        if (c == '\\' && next != '\n') {
          out[i] = out[i + 1] = ' ';
          i++;
        } else if (c == (state == string_literal ? '"' : '\'') || c == '\n') {
          state = code;
        } else {
          out[i] = ' ';
        }
        break;
    }
  }
  return out;
}

std::vector<ProbeChain> kernel_probes_in(const std::string& source) {
  // every kind's pattern, tried at each position so that probes keep the
  // program's order
  static const RE2 probe_pattern(
      R"(\b(?:TRACEPOINT_PROBE\s*\(\s*(\w+)\s*,\s*(\w+)\s*\))"
      R"(|RAW_TRACEPOINT_PROBE\s*\(\s*(\w+)\s*\))"
      R"(|(kprobe|kretprobe)__(\w+)\s*\())");
  std::string code = code_only(source);
  std::vector<ProbeChain> chains;
  re2::StringPiece input(code);
  std::string category, event, raw, kind, function;
  while (RE2::FindAndConsume(&input, probe_pattern, &category, &event, &raw, &kind, &function)) {
    ProbeAlternative alt = !category.empty() ? tracepoint(category + ":" + event)
                           : !raw.empty()    ? raw_tracepoint(raw)
                           : kind == "kprobe" ? kprobe(function)
                                              : kretprobe(function);
    std::string name = alt.function_name();
    bool seen = std::any_of(chains.begin(), chains.end(),
                            [&](const ProbeChain& c) { return c.name == name; });
    if (!seen) chains.push_back({name, {alt}});
  }
  return chains;
}

bool defines_function(const std::string& source, const std::string& name) {
  RE2 definition("\\b" + RE2::QuoteMeta(name) + "\\s*\\(");
  return RE2::PartialMatch(code_only(source), definition);
}

}  // namespace bcc
