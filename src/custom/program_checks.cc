#include "custom/program_checks.h"

#include "bpf/program_source.h"
#include "bpf/tables.h"
#include "config/ini.h"
#include "custom/export_check.h"
#include "custom/program_scan.h"
#include "module/options.h"

namespace bcc {

CustomProgramChecks::CustomProgramChecks(const CustomProgram& program,
                                         std::vector<Export> exports, std::string source)
    : follows_one_(!program.usdts.empty()),
      kernel_only_(program.uprobes.empty() && program.usdts.empty()),
      calls_filter_(defines_function(program.source, "pid_followed")),
      exports_(std::move(exports)),
      source_(std::move(source)) {}

void CustomProgramChecks::configure(const ModuleOptions& options) {
  if (follows_one_ && !options.is_set("process"))
    throw config::ConfigError("usdts: USDT probes follow one process: set process");
  if (kernel_only_ && options.is_set("process") && !calls_filter_)
    throw config::ConfigError("process: the program must call pid_followed() (true for the "
                              "processes of this option) to be limited to them");
}

std::string CustomProgramChecks::attached(Maps& bpf) {
  for (const Export& e : exports_) {
    MapInfo info;
    try {
      info = map_info(bpf, e.map);
    } catch (const std::exception&) {
      std::string declared;
      for (const std::string& m : declared_maps(source_))
        declared += (declared.empty() ? "" : ", ") + m;
      return "export '" + e.map + "': the program has no map '" + e.map + "'" +
             (declared.empty() ? "" : " (its maps: " + declared + ")");
    }
    std::string problem = export_map_problem(e, info);
    if (!problem.empty()) return "export '" + e.map + "': " + problem;
  }
  return "";
}

}  // namespace bcc
