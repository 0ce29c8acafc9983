// Building a module's program in a loader process: its source and -D flags
// from the declaration, the options and the pids it is armed for; for each
// probe chain the first alternative the kernel offers, the next one when
// attaching it fails; optional probes left out (with why) when none works.
// Slow (a compile): run without the agent's lock.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "bpf/kernel.h"
#include "bpf/kernel_headers.h"
#include "bpf/probe.h"
#include "loader/program.h"
#include "module/module_log.h"
#include "module/options.h"
#include "module/spec.h"

namespace bcc {

// What a build produced, before the module swaps it in.
struct ProgramBuild {
  std::unique_ptr<Program> program;
  std::vector<int> pids;
  std::vector<std::pair<std::string, ProbeAlternative>> used;
  std::vector<std::pair<std::string, std::string>> missing;  // probe, why
  std::vector<std::string> map_names;
  double compile_seconds = 0;
  std::string compiled_against;  // the loader's description of the headers used
  std::string error;  // why nothing runs
};

// Where and how a module's programs are built.
struct BuildSettings {
  std::string name;         // the module's section, naming the loader's request
  std::string modules_dir;  // the agent's modules/ folder: program files, shared headers
  const KernelProbes* kernel = nullptr;  // what the running kernel offers
  std::chrono::seconds timeout{120};     // before the loader is killed
  KernelHeaders kernel_headers = KernelHeaders::automatic;
};

// "probe 'a': why; probe 'b': why" for the probes left out.
std::string describe_missing(const std::vector<std::pair<std::string, std::string>>& missing);

class ProgramBuilder {
 public:
  // Runs one loader (build_program, or a fake in tests).
  using RunLoader =
      std::function<BuildOutcome(const loader::BuildRequest& request, std::chrono::seconds)>;
  ProgramBuilder(const ModuleSpec& spec, const ModuleOptions& options,
                 const BuildSettings& settings, ModuleLog log, RunLoader run = build_program);

  ProgramBuild build(const std::vector<int>& pids) const;

 private:
  // The program's text into `source`, BTF offsets into `defines`; "" or why not.
  std::string prepare(std::string& source, std::vector<std::string>& defines) const;
  // One loader run with the first alternative of each chain not yet failed;
  // `retry` when a required probe failed to attach (its next alternative may)
  void try_build(const std::string& source, const std::vector<std::string>& base_defines,
                 const std::vector<int>& pids, std::set<ProbeAlternative>& failed, bool& retry,
                 ProgramBuild& out) const;
  loader::BuildRequest request(const std::string& source, std::vector<std::string> defines,
                               const std::vector<ProbeAlternative>& attach) const;

  const ModuleSpec& spec_;
  const ModuleOptions& options_;
  const BuildSettings& settings_;
  ModuleLog log_;
  RunLoader run_;
};

}  // namespace bcc
