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
    case ModuleState::postponed: return "postponed";
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
  for (const auto& hook : spec_->configure_hooks()) hook(*options_);
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
  left_out_.clear();
  std::vector<std::string> defines = base_defines;
  std::vector<std::pair<std::string, ProbeAlternative>> chosen;
  std::vector<bool> optional;
  std::vector<ProbeAlternative> usdts;
  for (const ProbeChain& chain : spec_->probes(*options_, armed_pids_)) {
    ProbeChoice choice = choose(chain, kernel, failed);
    if (!choice.index) {
      if (chain.optional) {
        left_out_.push_back(chain.name + " (" + choice.why_none + ")");
        continue;
      }
      return "probe '" + chain.name + "': no alternative works: " + choice.why_none;
    }
    const ProbeAlternative& alt = chain.alternatives[*choice.index];
    defines.push_back(chain.macro(alt));
    chosen.emplace_back(chain.name, alt);
    optional.push_back(chain.optional);
    if (alt.type == ProbeType::usdt) usdts.push_back(alt);
  }
  if (chosen.empty()) return "no probe to attach: " + join_left_out();

  auto program = std::make_unique<Program>();
  auto begin = std::chrono::steady_clock::now();
  std::string error = program->compile(source, defines, usdts);
  compile_seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  if (!error.empty()) return "compile failed: " + error;

  std::vector<std::pair<std::string, ProbeAlternative>> attached;
  for (size_t i = 0; i < chosen.size(); i++) {
    const auto& [probe, alt] = chosen[i];
    error = program->attach(alt);
    if (error.empty()) {
      attached.push_back(chosen[i]);
      continue;
    }
    if (optional[i]) {
      // the function stays compiled in, unused: no need to compile again
      pmNotifyErr(LOG_WARNING, "module [%s]: probe '%s': %s failed: %s; left out",
                  section_.name.c_str(), probe.c_str(), alt.describe().c_str(), error.c_str());
      left_out_.push_back(probe + " (" + alt.describe() + ": " + error + ")");
      continue;
    }
    pmNotifyErr(LOG_WARNING, "module [%s]: probe '%s': %s failed: %s; trying the next",
                section_.name.c_str(), probe.c_str(), alt.describe().c_str(), error.c_str());
    failed.insert(alt);
    retry = true;
    return "probe '" + probe + "': " + alt.describe() + ": " + error;
  }
  if (attached.empty()) return "no probe could be attached: " + join_left_out();
  program_ = std::move(program);
  used_ = std::move(attached);
  return "";
}

std::string Module::join_left_out() const {
  std::string out;
  for (const std::string& p : left_out_) out += (out.empty() ? "" : "; ") + p;
  return out;
}

bool Module::start(const std::string& modules_dir, const KernelProbes& kernel,
                   bool live_processes) {
  if (!spec_) return false;
  modules_dir_ = modules_dir;
  kernel_ = &kernel;
  live_processes_ = live_processes;
  if (spec_->process_arming() != ProcessArming::none && processes_) {
    armed_pids_ = pids_to_arm();
    if (armed_pids_.empty()) {
      if (!live_processes_) {
        fail("no process matches '" + options_->text(spec_->process_option()) +
             "' (set [pmda] process_refresh to wait for one)");
        return false;
      }
      postpone();
      return true;
    }
  }
  return arm();
}

bool Module::arm() {
  const KernelProbes& kernel = *kernel_;
  std::string source;
  try {
    source = read_program_file(modules_dir_ + "/" + spec_->program());
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
  if (!left_out_.empty()) {
    reason_ = "probes left out: " + join_left_out();
    pmNotifyErr(LOG_WARNING, "module [%s]: %s", section_.name.c_str(), reason_.c_str());
  }
  pmNotifyErr(LOG_INFO, "module [%s]: active in %.2fs, probes: %s", section_.name.c_str(),
              compile_seconds_, probes_used().c_str());
  return true;
}

void Module::postpone() {
  state_ = ModuleState::postponed;
  reason_ = "no process matches '" + options_->text(spec_->process_option()) +
            "' yet: activation postponed";
  pmNotifyErr(LOG_INFO, "module [%s]: %s", section_.name.c_str(), reason_.c_str());
}

std::vector<int> Module::pids_to_arm() const {
  std::vector<int> pids;
  for (const ProcessInfo& p : processes_->scan()) pids.push_back(p.pid);
  if (spec_->process_arming() == ProcessArming::first_match && pids.size() > 1) {
    pmNotifyErr(LOG_INFO,
                "module [%s]: %zu processes match '%s'; its probes follow one process: "
                "the first, pid %d",
                section_.name.c_str(), pids.size(),
                options_->text(spec_->process_option()).c_str(), pids.front());
    pids.resize(1);
  }
  return pids;
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
  if (processes_ && spec_->process_arming() == ProcessArming::none) update_filter_map();
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
  if (!processes_) return;
  if (spec_->process_arming() == ProcessArming::none) return update_filter_map();
  if (!kernel_) return;  // never started
  // a module that failed to arm is tried again when the processes change
  std::vector<int> pids = pids_to_arm();
  if (pids == armed_pids_) return;
  stop();
  used_.clear();
  armed_pids_ = std::move(pids);
  if (armed_pids_.empty()) return postpone();
  pmNotifyErr(LOG_INFO, "module [%s]: re-arming for %zu process(es), first pid %d",
              section_.name.c_str(), armed_pids_.size(), armed_pids_.front());
  if (arm()) free_compiler_memory();
}

void Module::update_filter_map() {
  if (!program_) return;
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

void Module::read(std::vector<std::vector<Sample>>& out) {
  out.assign(metrics().size(), {});
  if (!program_) return;
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
