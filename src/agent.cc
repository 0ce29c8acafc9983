#include "agent.h"

#include <malloc.h>
#include <pcp/pmapi.h>
#include <pcp/pmda.h>

#include <chrono>
#include <cstring>
#include <set>

#include "bpf/kernel.h"
#include "bpf/kernel_stats.h"
#include "module/registry.h"

namespace bcc {

Agent::Agent(AgentPaths paths) : paths_(std::move(paths)) {}

Agent::~Agent() { shutdown(); }

void Agent::configure(int domain) {
  const Registry& registry = Registry::builtin();
  config_ = config::make_agent_config(config::read_ini_file(paths_.config_file), registry.types());
  for (const std::string& w : config_.warnings) pmNotifyErr(LOG_WARNING, "%s", w.c_str());
  store_access_ = StoreAccess(config_.allowed_users);
  for (const std::string& user : store_access_.unknown())
    pmNotifyErr(LOG_WARNING, "%s: [pmda] allowed_users: no user '%s' on this system; ignored",
                paths_.config_file.c_str(), user.c_str());

  for (const config::ModuleSection& section : config_.modules) {
    std::string prefix = config_.prefix;
    if (section.section)
      if (const config::Entry* p = section.section->find("prefix")) prefix = p->value;
    std::string problem = section.problem;
    if (problem.empty()) {
      try {
        ModuleSpec spec = registry.make(section.type, config_.ini, *section.section);
        ModuleOptions options(config_.ini, *section.section, spec.options());
        modules_.push_back(std::make_unique<Module>(section, prefix, std::move(spec),
                                                    std::move(options)));
        continue;
      } catch (const config::ConfigError& e) {
        problem = e.what();
      }
    }
    if (config_.module_failure_fatal)
      throw config::ConfigError(problem + " (module_failure_fatal is set: the agent stops)");
    modules_.push_back(std::make_unique<Module>(section, prefix, problem));
  }

  std::set<std::string> sections;
  for (const auto& m : modules_) sections.insert(m->name());
  runtime_ = std::make_unique<dynamic::RuntimePrograms>(config_.dynamic, config_.prefix,
                                                        std::move(sections), lock_);
  status_ = std::make_unique<StatusGroup>(modules_, config_.prefix);
  program_stats_ = std::make_unique<ProgramStatsGroup>(
      [this] {
        std::vector<Module*> all;
        for (auto& m : modules_) all.push_back(m.get());
        for (Module* m : runtime_->running()) all.push_back(m);
        return all;
      },
      config_.prefix);
  control_ = std::make_unique<ControlGroup>(
      config_.prefix,
      ControlGroup::Actions{
          [this](const std::string& text) {
            return runtime_->register_program(text, pmdaGetContext());
          },
          [this](const std::string& name) { return runtime_->deregister(name); },
          [this] { return runtime_->json(); },
          [this] { return runtime_->last_registration(pmdaGetContext()); },
      });
  std::vector<MetricGroup*> groups;
  for (auto& m : modules_)
    if (m->runnable()) groups.push_back(m.get());
  groups.push_back(status_.get());
  groups.push_back(program_stats_.get());
  groups.push_back(control_.get());
  table_ = std::make_unique<MetricTable>(groups, domain);
  pmNotifyErr(LOG_INFO, "configured %zu module(s) from %s, %zu metrics", modules_.size(),
              paths_.config_file.c_str(), table_->metrics().size());
}

bool Agent::start() {
  std::string headers = kernel_headers_problem();
  if (!headers.empty()) pmNotifyErr(LOG_WARNING, "%s", headers.c_str());
  if (tracefs_dir().empty())
    pmNotifyErr(LOG_WARNING, "tracefs is not mounted: tracepoint probes are unavailable "
                             "(mount -t tracefs nodev /sys/kernel/tracing)");
  if (config_.prog_stats && stats_fd_ < 0) {
    stats_fd_ = enable_program_stats();
    if (stats_fd_ < 0)
      pmNotifyErr(LOG_WARNING, "prog_stats: cannot enable BPF statistics: %s",
                  strerror(-stats_fd_));
    else
      pmNotifyErr(LOG_INFO, "prog_stats: BPF run-time statistics enabled");
  }
  kernel_ = std::make_unique<RunningKernel>();
  runtime_->bind(*table_, *kernel_);
  if (config_.dynamic.allowed)
    pmNotifyErr(LOG_INFO, "programs may be registered at run time (bcc.control.register): at "
                "most %u, %llu bytes each, compile_timeout %us, expiry %us",
                config_.dynamic.max_programs,
                static_cast<unsigned long long>(config_.dynamic.max_program_size),
                config_.dynamic.compile_timeout, config_.dynamic.expiry);
  bool all_ok = true;
  size_t n = 0;
  for (auto& m : modules_) {
    n++;
    if (!m->runnable() || m->state() == ModuleState::failed) {
      all_ok = false;
      continue;
    }
    pmNotifyErr(LOG_INFO, "module [%s] (%zu of %zu): compiling %s", m->name().c_str(), n,
                modules_.size(), m->type().c_str());
    all_ok = m->start(paths_.modules_dir, *kernel_, config_.process_refresh > 0) && all_ok;
    if (!all_ok && config_.module_failure_fatal) {
      pmNotifyErr(LOG_ERR, "module [%s] failed and module_failure_fatal is set: stopping",
                  m->name().c_str());
      return false;
    }
  }
  return true;
}

void Agent::free_compiler_memory() {
  for (auto& m : modules_) m->free_compiler_memory();
  malloc_trim(0);
}

std::vector<std::string> Agent::summary() const {
  std::vector<std::string> lines;
  for (const auto& m : modules_) {
    std::string line = m->name() + ": " + state_name(m->state());
    if (m->state() == ModuleState::active || m->state() == ModuleState::partial)
      line += " (" + m->probes_used() + ")";
    if (!m->reason().empty()) line += ": " + m->reason();
    lines.push_back(line);
  }
  return lines;
}

bool Agent::all_running() const {
  for (const auto& m : modules_)
    if (m->state() == ModuleState::failed || m->state() == ModuleState::configured) return false;
  return true;
}

void Agent::start_process_refresh() {
  if (config_.dynamic.allowed && !housekeeper_.joinable())
    housekeeper_ = std::thread([this] {
      std::unique_lock<std::mutex> wait(refresher_lock_);
      while (!refresher_wake_.wait_for(wait, std::chrono::seconds(1), [this] { return stopping_; })) {
        wait.unlock();  // shutdown takes it while holding lock_
        {
          std::lock_guard<std::recursive_mutex> hold(lock_);
          runtime_->expire();
        }
        wait.lock();
      }
    });
  if (config_.process_refresh == 0 || refresher_.joinable()) return;
  auto period = std::chrono::seconds(config_.process_refresh);
  refresher_ = std::thread([this, period] {
    std::unique_lock<std::mutex> wait(refresher_lock_);
    while (!refresher_wake_.wait_for(wait, period, [this] { return stopping_; })) {
      wait.unlock();  // shutdown takes it while holding lock_
      {
        std::lock_guard<std::recursive_mutex> hold(lock_);
        for (auto& m : modules_) m->refresh_processes();
      }
      wait.lock();
    }
  });
}

void Agent::shutdown() {
  {
    std::lock_guard<std::mutex> wake(refresher_lock_);
    stopping_ = true;
  }
  refresher_wake_.notify_all();
  // the refresher and housekeeper may be waiting for lock_, which our caller may hold
  for (std::thread* t : {&refresher_, &housekeeper_})
    if (t->joinable() && t->get_id() != std::this_thread::get_id()) t->detach();
  if (runtime_) runtime_->shutdown();
  bool any = false;
  for (auto& m : modules_) {
    any = any || m->state() == ModuleState::active || m->state() == ModuleState::partial;
    m->stop();
  }
  if (any) pmNotifyErr(LOG_INFO, "all probes detached");
}

}  // namespace bcc
