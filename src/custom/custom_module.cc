#include "custom/custom_module.h"

#include <algorithm>
#include <cctype>
#include <memory>
#include <stdexcept>

#include "bpf/binaries.h"
#include "loader/program.h"
#include "bpf/program_source.h"
#include "custom/export_spec.h"
#include "custom/program_checks.h"
#include "module/key_decoders.h"
#include "custom/program_scan.h"
#include "config/values.h"
#include "module/metrics.h"
#include "module/options.h"
#include "module/probe_list.h"
#include "module/registry.h"

namespace bcc {

namespace {

using config::ConfigError;

// Declared before the program's own text, on lines of its own (a program's
// first line is often a directive), then `#line 1` so that compiler
// messages keep the program's line numbers: a program limited to the
// `process` option's pids calls pid_followed(). PIDS_FILTERED is 1 when the
// option is set (the agent then keeps filter_pids filled).
const char* const kPrelude =
    "BPF_F_TABLE(\"hash\", u32, u8, filter_pids, 10240, BPF_F_NO_PREALLOC);\n"
    "static __always_inline int pid_followed(void) {\n"
    "  u32 tgid = bpf_get_current_pid_tgid() >> 32;\n"
    "  return !PIDS_FILTERED || filter_pids.lookup(&tgid) != 0;\n"
    "}\n"
    "#line 1\n";

bool metric_name_part(const std::string& s) {
  return !s.empty() && std::isalpha(static_cast<unsigned char>(s[0])) &&
         std::all_of(s.begin(), s.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
         });
}

const char* kind_text(const Export& e) {
  switch (e.kind) {
    case ExportKind::log2_histogram: return "log2 histogram";
    case ExportKind::linear_histogram: return "linear histogram";
    case ExportKind::counter: return "counter";
    case ExportKind::gauge: return "gauge";
  }
  return "?";
}

std::string describe_keys(const Export& e) {
  if (e.kind == ExportKind::log2_histogram)
    return "Instances are log2 buckets named \"low-high\" by their bounds.";
  if (e.kind == ExportKind::linear_histogram)
    return "Instances are buckets " + std::to_string(e.width) +
           " wide, named \"low-high\" by their bounds.";
  if (e.key.decoder == "none") return "The sum of every entry of the map.";
  return "One instance per key of the map, named by the '" + e.key.decoder + "' decoder.";
}

MetricSpec metric_for(const Export& e, const CustomProgram& program,
                      const std::vector<std::string>& log2_tables) {
  std::string name = "custom." + program.name + "." + e.map;
  std::string generated = std::string(kind_text(e)) + " of map '" + e.map +
                          "' of custom program " + program.name;
  std::string oneline = e.help.empty() ? generated : e.help;
  if (size_t stop = oneline.find(". "); stop != std::string::npos) oneline.resize(stop);
  std::string first = e.help.empty() ? generated : e.help;
  if (first.back() != '.') first += ".";
  std::string help = first + " " + describe_keys(e) +
                     " From " + program.origin + " (map '" + e.map + "', exported as " +
                     kind_text(e) + " in " + e.units + ").";
  pmUnits units = units_named(e.units);
  MetricSpec m;
  switch (e.kind) {
    case ExportKind::log2_histogram:
      m = log2_tables.size() > 1
              ? shared_log2_histogram(name, e.map, log2_tables, 0, oneline, help)
              : log2_histogram(name, e.map, 0, oneline, help);
      m.units = units;
      break;
    case ExportKind::linear_histogram:
      m = linear_histogram(name, e.map, e.width, units, oneline, help);
      break;
    case ExportKind::counter:
    case ExportKind::gauge:
      m = e.key.decoder == "none"
              ? hash_total(name, e.map, units, oneline, help)
              : hash_counter(name, e.map, units, make_key_decoder(e.key), oneline, help);
      if (e.kind == ExportKind::gauge) m.semantics = PM_SEM_INSTANT;
      break;
  }
  return m;
}

// uprobes: "library:symbol" runs uprobe__<symbol> and/or uretprobe__<symbol>
ProbeSource user_probes(const CustomProgram& program) {
  return [program](const ModuleOptions&, const std::vector<int>& pids) {
    std::vector<int> targets = pids.empty() ? std::vector<int>{-1} : pids;
    std::vector<ProbeChain> chains;
    for (const std::string& probe : program.uprobes) {
      auto [library, symbol] = split_probe(probe);
      for (int pid : targets) {
        std::string binary = resolve_binary(library, pid);
        if (binary.empty()) binary = library;
        std::string suffix = pid < 0 ? "" : " pid " + std::to_string(pid);
        for (bool ret : {false, true}) {
          std::string fn = (ret ? "uretprobe__" : "uprobe__") + symbol;
          if (!defines_function(program.source, fn)) continue;
          chains.push_back({fn + suffix,
                            {ret ? uretprobe(binary, symbol, fn, pid)
                                 : uprobe(binary, symbol, fn, pid)},
                            /*optional=*/true});
        }
      }
    }
    // USDT probes follow one process: the first match
    if (pids.empty()) return chains;
    for (const std::string& probe : program.usdts) {
      auto [path, name] = split_probe(probe);
      std::string binary = resolve_binary(path, pids.front());
      if (binary.empty()) binary = path;
      std::string provider;
      for (const UsdtProbeName& p : usdt_probes_in(binary))
        if (p.name == name) provider = p.provider;
      chains.push_back({"usdt__" + name + " pid " + std::to_string(pids.front()),
                        {usdt(binary, provider, name, "usdt__" + name, pids.front())},
                        /*optional=*/true});
    }
    return chains;
  };
}

std::string option_text(const config::Section& section, const std::string& key) {
  const config::Entry* e = section.find(key);
  return e ? config::trim(e->value) : "";
}

}  // namespace

ModuleSpec custom_module(const CustomProgram& program) {
  std::string who = "custom program '" + program.name + "' (" + program.origin + ")";
  if (!metric_name_part(program.name))
    throw ConfigError(who + ": '" + program.name +
                      "' cannot name metrics; use letters, digits and '_', starting with a letter");
  std::vector<Export> exports;
  try {
    exports = program_exports(program.exports, program.source);
  } catch (const std::invalid_argument& e) {
    throw ConfigError(who + ": " + e.what() +
                      " (declare exports as map:kind[:unit][:key=[TYPE:]DECODER], or annotate "
                      "the program with '// export: map kind unit')");
  } catch (const std::length_error& e) {
    throw ConfigError(who + ": " + e.what());
  }
  if (exports.empty())
    throw ConfigError(who + ": no map is exported; set export = MAP:histogram:usec (or "
                      "counter, gauge), or annotate the program with '// export: MAP histogram "
                      "usec'");
  std::vector<ProbeChain> kernel_probes = kernel_probes_in(program.source);
  for (const std::string& probe : program.uprobes) {
    auto [library, symbol] = split_probe(probe);
    if (library.empty() || symbol.empty())
      throw ConfigError(who + ": uprobes: '" + probe + "' is not library:symbol");
    if (!defines_function(program.source, "uprobe__" + symbol) &&
        !defines_function(program.source, "uretprobe__" + symbol))
      throw ConfigError(who + ": uprobes: '" + probe + "': the program defines neither uprobe__" +
                        symbol + " nor uretprobe__" + symbol);
  }
  for (const std::string& probe : program.usdts) {
    auto [path, name] = split_probe(probe);
    if (path.empty() || name.empty())
      throw ConfigError(who + ": usdts: '" + probe + "' is not path:probe");
    if (!defines_function(program.source, "usdt__" + name))
      throw ConfigError(who + ": usdts: '" + probe + "': the program defines no usdt__" + name);
  }
  if (kernel_probes.empty() && program.uprobes.empty() && program.usdts.empty())
    throw ConfigError(who + ": the program defines no probe; name its functions as BCC does: "
                      "TRACEPOINT_PROBE(category, event), RAW_TRACEPOINT_PROBE(event), "
                      "kprobe__function, kretprobe__function");

  std::vector<std::string> log2_tables;
  for (const Export& e : exports)
    if (e.kind == ExportKind::log2_histogram) log2_tables.push_back(e.map);

  std::string source = kPrelude + program.source;
  ModuleSpec spec("custom");
  spec.summary("custom BCC program: " + program.origin)
      .program_text(source, program.origin)
      .source_policy(program.policy, program.include_dir)
      .option(text_option("program", "the BCC program (a path, relative to bcc.conf's folder)"))
      .option(text_option("export", "maps exported as metrics: map:kind[:unit][:key=...], ..."))
      .option(text_option("uprobes", "library:symbol, ... run uprobe__symbol / uretprobe__symbol"))
      .option(text_option("usdts", "path:probe, ... run usdt__probe (needs process)"))
      .option(text_option("process", "only these processes (pids, names, regexes)"));
  for (const ProbeChain& chain : kernel_probes) spec.probe(chain.name, chain.alternatives);
  if (!program.usdts.empty())
    spec.follow_processes(ProcessArming::first_match);
  else if (!program.uprobes.empty())
    spec.follow_processes(ProcessArming::each_match);
  else
    spec.process_filter("process");
  bool kernel_filter = program.uprobes.empty() && program.usdts.empty();
  spec.defines_from([kernel_filter](const ModuleOptions& options) {
    bool filtered = kernel_filter && options.is_set("process");
    return std::vector<std::string>{filtered ? "PIDS_FILTERED=1" : "PIDS_FILTERED=0"};
  });
  if (!kernel_filter) spec.probes_from(user_probes(program));
  spec.collector(std::make_shared<CustomProgramChecks>(program, exports, source));
  for (const Export& e : exports) spec.metric(metric_for(e, program, log2_tables));
  spec.instances_help("keys and histogram buckets of the maps of custom program " +
                      program.name);
  return spec;
}

ModuleSpec custom_section_module(const config::IniFile& file, const config::Section& section) {
  std::string at = file.where(section.line) + ": [" + section.name + "]";
  const config::Entry* program_key = section.find("program");
  if (!program_key || config::trim(program_key->value).empty())
    throw ConfigError(at + " has no 'program' key; set it to the path of a BCC program "
                           "(absolute, or relative to the folder of " + file.path + ")");
  std::string dir = file.path.rfind('/') == std::string::npos
                        ? "."
                        : file.path.substr(0, file.path.rfind('/'));
  std::string path = config::trim(program_key->value);
  if (path[0] != '/') path = dir + "/" + path;

  CustomProgram program;
  program.name = section.name;
  program.origin = path;
  program.policy = loader::SourcePolicy::custom;
  program.include_dir = path.substr(0, path.rfind('/'));
  program.exports = option_text(section, "export");
  try {
    program.source = read_program_file(path);
    for (const char* key : {"uprobes", "usdts"}) {
      std::string value = option_text(section, key);
      if (!value.empty())
        (key[1] == 'p' ? program.uprobes : program.usdts) = read_probe_list(value, dir, "");
    }
    return custom_module(program);
  } catch (const ConfigError& e) {
    throw ConfigError(at + " " + e.what());
  } catch (const std::runtime_error& e) {
    throw ConfigError(file.where(program_key->line) + ": [" + section.name + "] program: " +
                      e.what());
  }
}

namespace {
const bool registered = register_module("custom", custom_section_module);
}  // namespace

}  // namespace bcc
