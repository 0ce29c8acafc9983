#include "module/describe.h"

#include <algorithm>
#include <sstream>
#include <vector>

namespace bcc {

namespace {

constexpr size_t kWidth = 79;  // bcc.conf's comments stay within 79 columns

const char* kind_name(OptionKind kind) {
  switch (kind) {
    case OptionKind::flag: return "boolean";
    case OptionKind::number: return "number";
    case OptionKind::text: return "text";
    case OptionKind::list: return "list";
  }
  return "?";
}

bool described_once_for_all(const std::string& name) {
  return name == ModuleSpec::kProcessUserOption || name == ModuleSpec::kProcessExeOption;
}

// `text` as words wrapped after `lead` (the first line's start), later
// lines indented to its width.
std::string wrapped(const std::string& lead, const std::string& text) {
  std::istringstream words(text);
  std::string out = lead, line = lead, word;
  const std::string indent = "#" + std::string(lead.size() - 1, ' ');
  bool first_word = true;
  while (words >> word) {
    if (!first_word && line.size() + 1 + word.size() > kWidth) {
      out += "\n" + indent;
      line = indent;
      first_word = true;
    }
    if (!first_word) {
      out += " ";
      line += " ";
    }
    out += word;
    line += word;
    first_word = false;
  }
  return out + "\n";
}

}  // namespace

std::string options_comment(const ModuleSpec& spec) {
  std::vector<const OptionSpec*> own;
  for (const OptionSpec& o : spec.options())
    if (!described_once_for_all(o.name)) own.push_back(&o);
  if (own.empty()) return "";
  size_t name_width = 0;
  for (const OptionSpec* o : own) name_width = std::max(name_width, o->name.size());
  std::string out = "# Options:\n";
  for (const OptionSpec* o : own) {
    std::string name = o->name + std::string(name_width - o->name.size(), ' ');
    std::string value = o->default_value.empty() ? "unset" : o->default_value;
    out += wrapped("# " + name + " - " + kind_name(o->kind) + " - " + value + " : ", o->help);
  }
  return out;
}

std::string describe_module(const ModuleSpec& spec, const std::string& prefix) {
  std::string out = spec.type() + ": " + spec.summary() + "\n";
  std::string options = options_comment(spec);
  out += options.empty() ? "# No options of its own.\n" : options;
  out += "Metrics:\n";
  for (const MetricSpec& m : spec.metrics()) out += "  " + prefix + m.name + " - " + m.oneline + "\n";
  return out;
}

}  // namespace bcc
