#include "module/program_build.h"

#include <exception>

#include "bpf/program_source.h"
#include "bpf/struct_offsets.h"
#include "bpf/tables.h"

namespace bcc {

std::string describe_missing(const std::vector<std::pair<std::string, std::string>>& missing) {
  std::string out;
  for (const auto& [probe, why] : missing)
    out += (out.empty() ? "" : "; ") + ("probe '" + probe + "': ") + why;
  return out;
}

ProgramBuilder::ProgramBuilder(const ModuleSpec& spec, const ModuleOptions& options,
                               const BuildSettings& settings, ModuleLog log, RunLoader run)
    : spec_(spec),
      options_(options),
      settings_(settings),
      log_(std::move(log)),
      run_(std::move(run)) {}

loader::BuildRequest ProgramBuilder::request(const std::string& source,
                                             std::vector<std::string> defines,
                                             const std::vector<ProbeAlternative>& attach) const {
  loader::BuildRequest r;
  r.name = settings_.name;
  r.source = source;
  r.origin = spec_.program_origin().empty() ? spec_.program() : spec_.program_origin();
  r.defines = std::move(defines);
  for (const ProbeAlternative& alt : attach)
    if (alt.type == ProbeType::usdt) r.usdt.push_back(alt);
  r.attach = attach;
  r.maps = declared_maps(source);
  r.policy = spec_.policy();
  // the agent's own programs share headers in their folder (block_request.h)
  r.include_dir =
      r.policy == loader::SourcePolicy::module ? settings_.modules_dir : spec_.include_dir();
  r.kernel_headers = kernel_headers_name(settings_.kernel_headers);
  return r;
}

void ProgramBuilder::try_build(const std::string& source,
                               const std::vector<std::string>& base_defines,
                               const std::vector<int>& pids, std::set<ProbeAlternative>& failed,
                               bool& retry, ProgramBuild& out) const {
  retry = false;
  out.missing.clear();
  std::vector<std::string> defines = base_defines;
  std::vector<std::pair<std::string, ProbeAlternative>> chosen;
  std::vector<bool> optional;
  for (const ProbeChain& chain : spec_.probes(options_, pids)) {
    ProbeChoice choice = choose(chain, *settings_.kernel, failed);
    if (!choice.index && chain.optional) {
      out.missing.emplace_back(chain.name, choice.why_none);
      continue;
    }
    if (!choice.index) {
      out.error = "probe '" + chain.name + "': no alternative works: " + choice.why_none;
      return;
    }
    const ProbeAlternative& alt = chain.alternatives[*choice.index];
    defines.push_back(chain.macro(alt));
    defines.push_back(chain.target_macro(alt));
    chosen.emplace_back(chain.name, alt);
    optional.push_back(chain.optional);
  }
  if (chosen.empty()) {
    out.error = "no probe of this module is available on the running kernel: " +
                describe_missing(out.missing);
    return;
  }
  std::vector<ProbeAlternative> attach;
  for (const auto& [probe, alt] : chosen) attach.push_back(alt);
  BuildOutcome built = run_(request(source, defines, attach), settings_.timeout);
  out.compile_seconds = built.compile_seconds;
  out.compiled_against = built.kernel_headers;
  if (!built.compiler_output.empty() && spec_.policy() == loader::SourcePolicy::module)
    log_(LOG_INFO, "compiler said: " + built.compiler_output);
  if (!built.error.empty()) {
    out.error = built.attach_errors.empty() && built.error.find("loader") == std::string::npos
                    ? "compile failed: " + built.error
                    : built.error;
    if (!built.kernel_headers.empty() && built.attach_errors.empty() &&
        out.error.find("compiled against") == std::string::npos)
      out.error += " [compiled against " + built.kernel_headers + "]";
    return;
  }
  std::vector<std::pair<std::string, ProbeAlternative>> attached;
  for (size_t i = 0; i < chosen.size(); i++) {
    const auto& [probe, alt] = chosen[i];
    const std::string& error = built.attach_errors[i];
    if (error.empty()) {
      attached.push_back(chosen[i]);
      continue;
    }
    if (optional[i]) {
      log_(LOG_WARNING, "probe '" + probe + "': " + alt.describe() + " failed: " + error +
                            "; running without it");
      out.missing.emplace_back(probe, alt.describe() + ": " + error);
      continue;
    }
    log_(LOG_WARNING,
         "probe '" + probe + "': " + alt.describe() + " failed: " + error + "; trying the next");
    failed.insert(alt);
    retry = true;
    out.error = "probe '" + probe + "': " + alt.describe() + ": " + error;
    return;
  }
  if (attached.empty()) {
    out.error = "no probe of this module could be attached: " + describe_missing(out.missing);
    return;
  }
  out.program = std::move(built.program);
  out.used = std::move(attached);
  out.error.clear();
}

std::string ProgramBuilder::prepare(std::string& source, std::vector<std::string>& defines) const {
  try {
    source = spec_.has_program_text()
                 ? spec_.program_text()
                 : read_program_file(settings_.modules_dir + "/" + spec_.program());
  } catch (const std::exception& e) {
    return e.what();
  }
  for (const auto& f : spec_.btf_offsets()) {
    auto offset = btf_field_offset(f.struct_name, f.field);
    if (!offset)
      return "struct " + f.struct_name + " has no field " + f.field +
             " in the running kernel's BTF (/sys/kernel/btf/vmlinux)";
    defines.push_back(f.macro + "=" + std::to_string(*offset));
  }
  return "";
}

ProgramBuild ProgramBuilder::build(const std::vector<int>& pids) const {
  ProgramBuild out;
  out.pids = pids;
  std::string source;
  std::vector<std::string> defines;
  try {
    defines = spec_.defines(options_, pids);
    // every program may keep counters in one row per CPU (modules/cpu_rows.h)
    defines.push_back("POSSIBLE_CPUS=" + std::to_string(possible_cpus()));
  } catch (const std::exception& e) {
    out.error = e.what();  // a process it cannot follow (its language unknown...)
    return out;
  }
  out.error = prepare(source, defines);
  if (!out.error.empty()) return out;
  out.map_names = declared_maps(source);
  std::set<ProbeAlternative> failed;
  bool retry = true;
  while (retry) {
    try_build(source, defines, pids, failed, retry, out);
    if (out.error.empty()) break;
  }
  return out;
}

}  // namespace bcc
