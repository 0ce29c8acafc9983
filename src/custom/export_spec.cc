#include "custom/export_spec.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <sstream>
#include <stdexcept>

#include "module/key_decoders.h"
#include "config/values.h"

namespace bcc {

namespace {

using config::trim;

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> out;
  std::string item;
  std::istringstream in(text);
  while (std::getline(in, item, separator)) out.push_back(trim(item));
  return out;
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

bool identifier(const std::string& s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

const std::map<std::string, pmUnits>& units_table() {
  static const std::map<std::string, pmUnits> table = [] {
    auto time = [](int scale) {
      pmUnits u{};
      u.dimTime = 1;
      u.scaleTime = scale;
      return u;
    };
    auto space = [](int scale) {
      pmUnits u{};
      u.dimSpace = 1;
      u.scaleSpace = scale;
      return u;
    };
    pmUnits count{};
    count.dimCount = 1;
    return std::map<std::string, pmUnits>{
        {"nsec", time(PM_TIME_NSEC)},    {"usec", time(PM_TIME_USEC)},
        {"msec", time(PM_TIME_MSEC)},    {"sec", time(PM_TIME_SEC)},
        {"count", count},                {"bytes", space(PM_SPACE_BYTE)},
        {"kbytes", space(PM_SPACE_KBYTE)}, {"mbytes", space(PM_SPACE_MBYTE)},
        {"none", pmUnits{}}};
  }();
  return table;
}

bool is_unit(const std::string& word) { return units_table().count(word) > 0; }

ExportKind kind_named(const std::string& word, const std::string& declaration) {
  if (word == "histogram") return ExportKind::log2_histogram;
  if (word == "counter") return ExportKind::counter;
  if (word == "gauge") return ExportKind::gauge;
  throw std::invalid_argument("'" + declaration + "': unknown kind '" + word +
                              "'; expected histogram, counter or gauge");
}

}  // namespace

const std::vector<std::string>& unit_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const auto& [name, units] : units_table()) out.push_back(name);
    return out;
  }();
  return names;
}

pmUnits units_named(const std::string& name) {
  auto it = units_table().find(name);
  if (it == units_table().end())
    throw std::invalid_argument("unknown unit '" + name + "'; expected one of: " +
                                joined(unit_names()));
  return it->second;
}

Export parse_export(const std::string& declaration) {
  std::string text = trim(declaration);
  // annotations separate fields with blanks
  std::replace_if(text.begin(), text.end(), [](char c) { return c == ' ' || c == '\t'; }, ':');
  std::vector<std::string> fields;
  for (std::string& f : split(text, ':'))
    if (!f.empty()) fields.push_back(std::move(f));
  const std::string usage = "expected map:kind[:unit][:key=[TYPE:]DECODER][:linear=WIDTH]";
  if (fields.size() < 2)
    throw std::invalid_argument("'" + trim(declaration) + "': " + usage +
                                ", as in dist:histogram:usec");
  Export e;
  e.map = fields[0];
  if (!identifier(e.map))
    throw std::invalid_argument("'" + trim(declaration) + "': '" + e.map +
                                "' is not a map name (a C identifier)");
  e.kind = kind_named(fields[1], trim(declaration));
  bool have_unit = false, in_key = false;
  for (size_t i = 2; i < fields.size(); i++) {
    const std::string& f = fields[i];
    if (f.rfind("key=", 0) == 0) {
      e.key = KeySpec{"", ""};
      std::string first = f.substr(4);
      (is_key_type(first) ? e.key.type : e.key.decoder) = first;
      in_key = true;
    } else if (f.rfind("linear=", 0) == 0) {
      in_key = false;
      std::string width = f.substr(7);
      char* end = nullptr;
      unsigned long long w = std::strtoull(width.c_str(), &end, 10);
      if (width.empty() || *end || w == 0 || e.kind != ExportKind::log2_histogram)
        throw std::invalid_argument("'" + trim(declaration) +
                                    "': linear=WIDTH is for histograms, with a whole number "
                                    "above 0 as the width of each bucket");
      e.kind = ExportKind::linear_histogram;
      e.width = w;
    } else if (in_key && (!is_unit(f) || (e.key.decoder.empty() && f == "none"))) {
      // "key=u32:cpu", "key=ipv4:port": the key's decoder goes on ("none"
      // right after a key type is the decoder, not the unit)
      e.key.decoder += (e.key.decoder.empty() ? "" : ":") + f;
    } else if (is_unit(f) && !have_unit) {
      in_key = false;
      e.units = f;
      have_unit = true;
    } else {
      throw std::invalid_argument("'" + trim(declaration) + "': unexpected '" + f + "'; " +
                                  usage + " (units: " + joined(unit_names()) + ")");
    }
  }
  if (e.key.decoder.empty()) e.key.decoder = "number";
  bool histogram = e.kind == ExportKind::log2_histogram || e.kind == ExportKind::linear_histogram;
  if (histogram && (e.key.decoder != "number" || !e.key.type.empty()))
    throw std::invalid_argument("'" + trim(declaration) +
                                "': histograms have buckets as instances, not keys: drop key=");
  std::string problem = key_spec_problem(e.key);
  if (!problem.empty())
    throw std::invalid_argument("'" + trim(declaration) + "': " + problem);
  return e;
}

std::vector<Export> parse_exports(const std::string& text) {
  std::vector<Export> out;
  for (const std::string& declaration : split(text, ','))
    if (!declaration.empty()) out.push_back(parse_export(declaration));
  return out;
}

Annotations scan_annotations(const std::string& source) {
  Annotations found;
  std::istringstream in(source);
  std::string line;
  int number = 0;
  bool after_export = false;  // `// help:` lines continue the export just above
  while (std::getline(in, line)) {
    number++;
    std::string text = trim(line);
    if (text.rfind("//", 0) != 0) {
      after_export = false;
      continue;
    }
    text = trim(text.substr(2));
    if (text.rfind("export:", 0) == 0) {
      try {
        found.exports.push_back(parse_export(text.substr(7)));
      } catch (const std::invalid_argument& e) {
        throw std::invalid_argument("line " + std::to_string(number) + ": " + e.what());
      }
      after_export = true;
    } else if (text.rfind("help:", 0) == 0 && after_export) {
      std::string& help = found.exports.back().help;
      help += (help.empty() ? "" : " ") + trim(text.substr(5));
    } else if (text.rfind("help ", 0) == 0 && text.find(':') != std::string::npos) {
      size_t colon = text.find(':');
      std::string map = trim(text.substr(5, colon - 5));
      if (identifier(map)) found.help.emplace_back(map, trim(text.substr(colon + 1)));
      after_export = false;
    } else {
      after_export = false;
    }
  }
  return found;
}

std::vector<Export> program_exports(const std::string& key_text, const std::string& source) {
  std::vector<Export> out;
  try {
    out = parse_exports(key_text);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(std::string("export: ") + e.what());
  }
  Annotations annotations;
  try {
    annotations = scan_annotations(source);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(std::string("// export: annotation at ") + e.what());
  }
  auto named = [&out](const std::string& map) {
    return std::find_if(out.begin(), out.end(), [&](const Export& e) { return e.map == map; });
  };
  for (size_t i = 0; i < out.size(); i++)
    if (std::find_if(out.begin(), out.begin() + i,
                     [&](const Export& e) { return e.map == out[i].map; }) != out.begin() + i)
      throw std::invalid_argument("export: map '" + out[i].map + "' is declared twice");
  size_t from_key = out.size();
  for (Export& annotated : annotations.exports) {
    auto it = named(annotated.map);
    if (it != out.end() && it - out.begin() >= static_cast<std::ptrdiff_t>(from_key))
      throw std::invalid_argument("// export: map '" + annotated.map + "' is annotated twice");
    if (it == out.end())
      out.push_back(std::move(annotated));
    else if (it->help.empty())
      it->help = annotated.help;  // the key's declaration wins, the help stays
  }
  for (const auto& [map, help] : annotations.help) {
    auto it = named(map);
    if (it != out.end() && it->help.empty()) it->help = help;
  }
  if (out.size() > kMaxExports)
    throw std::length_error(std::to_string(out.size()) + " exports, at most " +
                            std::to_string(kMaxExports) +
                            " per program (a PMID has 1024 item numbers); split it into "
                            "several programs");
  return out;
}

}  // namespace bcc
