// A custom program's collector: what its section and its loaded maps are
// checked for. Its metrics all have stock readers (custom_module.cc); this
// refuses a `process` option its probes cannot honour (configure) and an
// exported map the program lacks or that does not suit its export
// (attached).
#pragma once

#include <string>
#include <vector>

#include "custom/custom_module.h"
#include "custom/export_spec.h"
#include "module/collector.h"

namespace bcc {

class CustomProgramChecks : public Collector {
 public:
  // `source`: the program's text as compiled (prelude included), whose
  // maps an error lists.
  CustomProgramChecks(const CustomProgram& program, std::vector<Export> exports,
                      std::string source);
  // USDT probes follow one process: `process` must be set. Kernel probes
  // are limited to its processes only by the program's pid_followed().
  void configure(const ModuleOptions& options) override;
  std::string attached(Maps& program) override;

 private:
  bool follows_one_ = false;    // usdts: the first process matching `process`
  bool kernel_only_ = false;    // no uprobes nor usdts: `process` filters in the kernel
  bool calls_filter_ = false;   // the program calls pid_followed()
  std::vector<Export> exports_;
  std::string source_;
};

}  // namespace bcc
