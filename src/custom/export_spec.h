// Which maps of a custom program become metrics, and how: the `export` key
// ("dist:histogram:usec, switches:counter:count:key=u32:cpu") and the
// program's own annotations ("// export: dist histogram usec") say the same.
#pragma once

#include <pcp/pmapi.h>

#include <cstdint>
#include <string>
#include <vector>

#include "module/key_decoders.h"

namespace bcc {

enum class ExportKind {
  log2_histogram,    // "histogram": an array of u64 filled with bpf_log2l()
  linear_histogram,  // "histogram:...:linear=W": slot i counts [i*W, (i+1)*W - 1]
  counter,           // u64 values that only grow, one instance per key
  gauge,             // u64 values read as they are, one instance per key
};

struct Export {
  std::string map;
  ExportKind kind = ExportKind::counter;
  std::string units = "none";  // "usec", "count", "bytes", ... (see units_named)
  KeySpec key{"", "number"};
  uint64_t width = 0;  // linear histograms: each bucket's width
  std::string help;    // "" = generated from the section
};

// One declaration: fields separated by ':' (or blanks, in annotations):
// map, kind, then in any order a unit, key=[TYPE:]DECODER, linear=WIDTH.
// Throws std::invalid_argument saying what is wrong and what is expected.
Export parse_export(const std::string& declaration);
// The `export` key: declarations separated by ','.
std::vector<Export> parse_exports(const std::string& text);

// `// export: ...` lines of a program, each followed by optional
// `// help: ...` lines giving its help text; `// help MAP: ...` anywhere
// gives the help of an export declared elsewhere (in the `export` key).
struct Annotations {
  std::vector<Export> exports;
  std::vector<std::pair<std::string, std::string>> help;  // map, text
};
// Throws std::invalid_argument naming the line of a bad declaration.
Annotations scan_annotations(const std::string& source);

// The exports of a program: those of the key, then the annotated ones the
// key does not name; help from annotations where the key gives none.
// Throws std::invalid_argument for a map declared twice or a bad declaration,
// std::length_error for more exports than a cluster has PMID items.
constexpr size_t kMaxExports = 1024;
std::vector<Export> program_exports(const std::string& key_text, const std::string& source);

// "usec" -> time in microseconds; throws std::invalid_argument listing the
// known units.
pmUnits units_named(const std::string& name);
const std::vector<std::string>& unit_names();

}  // namespace bcc
