#include "module/module.h"

#include <pcp/pmapi.h>
#include <pcp/pmda.h>

#include <bcc/BPF.h>

#include <chrono>
#include <exception>

#include "bpf/struct_offsets.h"

namespace bcc {

const char* state_name(ModuleState state) {
  switch (state) {
    case ModuleState::configured: return "configured";
    case ModuleState::active: return "active";
    case ModuleState::failed: return "failed";
  }
  return "?";
}

Module::Module(config::ModuleSection section, std::string prefix, std::string problem)
    : section_(std::move(section)), prefix_(std::move(prefix)) {
  fail(std::move(problem));
}

Module::Module(config::ModuleSection section, std::string prefix, ModuleSpec spec,
               ModuleOptions options)
    : section_(std::move(section)),
      prefix_(std::move(prefix)),
      spec_(std::move(spec)),
      options_(std::move(options)) {
  for (const auto& hook : spec_->configure_hooks()) {
    try {
      hook(*options_);
    } catch (const config::ConfigError& e) {
      throw config::ConfigError("[" + section_.name + "] " + e.what());
    }
  }
  const std::string& key = spec_->process_option();
  if (!key.empty() && options_->is_set(key)) {
    try {
      processes_.emplace(options_->text(key));
    } catch (const std::invalid_argument& e) {
      const config::Entry* entry = section_.section ? section_.section->find(key) : nullptr;
      throw config::ConfigError("[" + section_.name + "] " + key + " (line " +
                                std::to_string(entry ? entry->line : 0) + "): " + e.what());
    }
  }
}

Module::~Module() { stop(); }

void Module::fail(std::string reason) {
  state_ = ModuleState::failed;
  reason_ = std::move(reason);
  pmNotifyErr(LOG_ERR, "module [%s]: %s", section_.name.c_str(), reason_.c_str());
}

std::string Module::try_start(const std::string& source,
                              const std::vector<std::string>& base_defines,
                              const KernelProbes& kernel, std::set<ProbeAlternative>& failed,
                              bool& retry) {
  retry = false;
  std::vector<std::string> defines = base_defines;
  std::vector<std::pair<std::string, ProbeAlternative>> chosen;
  for (const ProbeChain& chain : spec_->probes(*options_)) {
    ProbeChoice choice = choose(chain, kernel, failed);
    if (!choice.index) return "probe '" + chain.name + "': no alternative works: " + choice.why_none;
    const ProbeAlternative& alt = chain.alternatives[*choice.index];
    defines.push_back(chain.macro(alt));
    chosen.emplace_back(chain.name, alt);
  }

  auto program = std::make_unique<Program>();
  auto begin = std::chrono::steady_clock::now();
  std::string error = program->compile(source, defines);
  compile_seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  if (!error.empty()) return "compile failed: " + error;

  for (const auto& [probe, alt] : chosen) {
    error = program->attach(alt);
    if (!error.empty()) {
      pmNotifyErr(LOG_WARNING, "module [%s]: probe '%s': %s failed: %s; trying the next",
                  section_.name.c_str(), probe.c_str(), alt.describe().c_str(), error.c_str());
      failed.insert(alt);
      retry = true;
      return "probe '" + probe + "': " + alt.describe() + ": " + error;
    }
  }
  program_ = std::move(program);
  used_ = std::move(chosen);
  return "";
}

bool Module::start(const std::string& modules_dir, const KernelProbes& kernel) {
  if (!spec_) return false;
  std::string source;
  try {
    source = read_program_file(modules_dir + "/" + spec_->program());
  } catch (const std::exception& e) {
    fail(e.what());
    return false;
  }
  std::vector<std::string> defines = spec_->defines(*options_);
  for (const auto& f : spec_->btf_offsets()) {
    auto offset = btf_field_offset(f.struct_name, f.field);
    if (!offset) {
      fail("struct " + f.struct_name + " has no field " + f.field +
           " in the running kernel's BTF (/sys/kernel/btf/vmlinux)");
      return false;
    }
    defines.push_back(f.macro + "=" + std::to_string(*offset));
  }
  std::set<ProbeAlternative> failed;
  bool retry = true;
  std::string error;
  while (retry) {
    error = try_start(source, defines, kernel, failed, retry);
    if (error.empty()) break;
  }
  if (error.empty()) error = after_attach();
  if (!error.empty()) {
    stop();
    fail(error);
    return false;
  }
  state_ = ModuleState::active;
  reason_.clear();
  pmNotifyErr(LOG_INFO, "module [%s]: active in %.2fs, probes: %s", section_.name.c_str(),
              compile_seconds_, probes_used().c_str());
  return true;
}

std::string Module::after_attach() {
  ebpf::BPF& bpf = program_->bpf();
  for (const auto& buffer : spec_->perf_buffers()) {
    int pages = 64;
    if (!buffer.pages_option.empty()) pages = static_cast<int>(options_->number(buffer.pages_option));
    sinks_.push_back(std::make_unique<PerfSink>(PerfSink{this, &buffer.on_event}));
    ebpf::StatusTuple st = bpf.open_perf_buffer(buffer.table, on_perf_event, on_perf_lost,
                                                sinks_.back().get(), pages);
    if (!st.ok()) return "perf buffer '" + buffer.table + "': " + st.msg();
  }
  if (!sinks_.empty()) {
    polling_ = true;
    poller_ = std::thread([this] { poll_perf_buffers(); });
  }
  if (processes_) refresh_processes();
  for (const auto& hook : spec_->attached_hooks()) {
    std::string error = hook(bpf);
    if (!error.empty()) return error;
  }
  return "";
}

void Module::poll_perf_buffers() {
  const auto& buffers = spec_->perf_buffers();
  int timeout = buffers.size() == 1 ? 200 : 50;
  while (polling_)
    for (const auto& buffer : buffers) program_->bpf().poll_perf_buffer(buffer.table, timeout);
}

void Module::on_perf_event(void* cookie, void* data, int size) {
  auto* sink = static_cast<PerfSink*>(cookie);
  (*sink->handler)(data, size);
}

void Module::on_perf_lost(void* cookie, uint64_t lost) {
  static_cast<PerfSink*>(cookie)->module->lost_events_ += lost;
}

void Module::refresh_processes() {
  if (!processes_ || !program_) return;
  std::vector<int> pids;
  for (const ProcessInfo& p : processes_->scan()) pids.push_back(p.pid);
  if (pids == followed_pids_) return;
  auto map = program_->bpf().get_hash_table<uint32_t, uint8_t>("filter_pids");
  for (int pid : followed_pids_) map.remove_value(static_cast<uint32_t>(pid));
  for (int pid : pids) map.update_value(static_cast<uint32_t>(pid), 1);
  if (pids.empty())
    pmNotifyErr(LOG_INFO, "module [%s]: no process matches '%s' yet: activation postponed",
                section_.name.c_str(), options_->text(spec_->process_option()).c_str());
  else
    pmNotifyErr(LOG_INFO, "module [%s]: following %zu process(es), first pid %d",
                section_.name.c_str(), pids.size(), pids.front());
  followed_pids_ = std::move(pids);
}

void Module::stop() {
  if (poller_.joinable()) {
    polling_ = false;
    poller_.join();
  }
  program_.reset();
  sinks_.clear();
  followed_pids_.clear();
  if (state_ == ModuleState::active) state_ = ModuleState::configured;
}

void Module::free_compiler_memory() {
  if (program_) program_->free_compiler_memory();
}

std::string Module::probes_used() const {
  std::string out;
  for (const auto& [probe, alt] : used_)
    out += (out.empty() ? "" : ", ") + probe + "=" + alt.describe();
  return out;
}

const std::vector<MetricSpec>& Module::metrics() const {
  static const std::vector<MetricSpec> none;
  return spec_ ? spec_->metrics() : none;
}

std::string Module::instances_help() const {
  if (!spec_) return "";
  if (!spec_->instances_help().empty()) return spec_->instances_help();
  if (instance_labels() == InstanceLabels::histogram)
    return "log2 histogram buckets of the " + section_.name +
           " module, named \"low-high\" by their bounds";
  return "instances of the " + section_.name + " module";
}

InstanceLabels Module::instance_labels() const {
  return spec_ ? spec_->instance_labels() : InstanceLabels::none;
}

bool Module::has_instances() const { return spec_ && spec_->has_instances(); }

bool Module::instance_ids_from_names() const { return spec_ && spec_->ids_from_names(); }

void Module::read(std::vector<std::vector<Sample>>& out) {
  out.assign(metrics().size(), {});
  if (!program_) return;
  for (const auto& hook : spec_->fetch_hooks()) {
    try {
      hook(program_->bpf());
    } catch (const std::exception& e) {
      if (last_read_error_ != e.what()) {
        last_read_error_ = e.what();
        pmNotifyErr(LOG_ERR, "module [%s]: before reading: %s", section_.name.c_str(), e.what());
      }
      return;
    }
  }
  for (size_t i = 0; i < metrics().size(); i++) {
    try {
      metrics()[i].read(program_->bpf(), out[i]);
    } catch (const std::exception& e) {
      // logged once per distinct error, not at every fetch
      if (last_read_error_ != e.what()) {
        last_read_error_ = e.what();
        pmNotifyErr(LOG_ERR, "module [%s]: reading %s: %s", section_.name.c_str(),
                    metrics()[i].name.c_str(), e.what());
      }
      out[i].clear();
    }
  }
}

}  // namespace bcc
