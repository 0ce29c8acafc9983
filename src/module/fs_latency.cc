#include "module/fs_latency.h"

#include <cctype>

#include "module/metrics.h"

namespace bcc {

ModuleSpec fs_latency_module(const std::string& type, const std::string& fs,
                             std::vector<FsOperation> operations) {
  std::string macro = "FS_";
  for (char c : fs) macro += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  ModuleSpec spec(type);
  spec.summary(fs + " operation latency")
      .program("fsdist.bpf")
      .option(text_option("process", "measure only these processes (names, pids, regexes)"))
      .process_filter()
      .defines_from([macro](const ModuleOptions&) { return std::vector<std::string>{macro}; });

  std::vector<std::string> tables;
  for (const FsOperation& op : operations) tables.push_back("dist_" + op.name);
  for (FsOperation& op : operations) {
    std::string entry = op.name + "_entry", exit = op.name + "_return";
    std::string probes;
    for (size_t i = 0; i < op.entry.size(); i++)
      probes += (i ? "; or " : "") + op.entry[i].describe() +
                (i < op.exit.size() ? " to " + op.exit[i].describe() : "");
    spec.optional_probe(entry, std::move(op.entry)).optional_probe(exit, std::move(op.exit));
    MetricSpec m = shared_log2_histogram(
        "fs." + fs + ".latency." + op.name, "dist_" + op.name, tables, PM_TIME_USEC,
        fs + op.name + " latency distribution",
        "Time " + fs + " took to " + op.name + " files, in microseconds: " + probes +
            ". A log2 histogram: one counter per bucket, the instance naming its bounds "
            "(\"0-1\", \"2-3\", ...); the four operations share these instances. No values "
            "where the kernel offers none of these probes (bcc.pmda.module.reason says "
            "which feature is missing).");
    m.needs_probes = {entry, exit};
    spec.metric(std::move(m));
  }
  return spec;
}

}  // namespace bcc
