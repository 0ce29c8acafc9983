#include "agent.h"

#include <pcp/pmapi.h>
#include <pcp/pmda.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <set>

#include "bpf/entry_counter.h"
#include "bpf/kernel.h"
#include "bpf/kernel_headers.h"
#include "bpf/kernel_stats.h"
#include "module/registry.h"

namespace bcc {

namespace {
std::string join_users(const std::vector<std::string>& users) {
  std::string out;
  for (const std::string& u : users) out += (out.empty() ? "" : ",") + u;
  return out;
}
}  // namespace

Agent::Agent(AgentPaths paths) : paths_(std::move(paths)) {}

Agent::~Agent() { shutdown(); }

void Agent::configure(int domain) {
  const Registry& registry = Registry::builtin();
  config_ = config::make_agent_config(config::read_ini_file(paths_.config_file), registry.types());
  for (const std::string& w : config_.warnings) pmNotifyErr(LOG_WARNING, "%s", w.c_str());
  const char* service_user = pmGetOptionalConfig("PCP_USER");
  store_access_ = StoreAccess(config_.allowed_users, config_.register_users,
                              service_user && *service_user ? service_user : "pcp");
  if (!store_access_.register_problem().empty()) {
    std::string where = paths_.config_file;
    if (const config::Section* pmda = config_.ini.find("pmda"))
      if (const config::Entry* e = pmda->find("register_users")) where = config_.ini.where(e->line);
    throw config::ConfigError(where + ": " + store_access_.register_problem());
  }
  for (const std::string& user : store_access_.unknown())
    pmNotifyErr(LOG_WARNING, "%s: [pmda] allowed_users or register_users: no user '%s' on "
                "this system; ignored", paths_.config_file.c_str(), user.c_str());

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
        modules_.back()->set_kernel_headers(config_.kernel_headers);
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
  runtime_->set_kernel_headers(config_.kernel_headers);
  status_ = std::make_unique<StatusGroup>(modules_, config_.prefix);
  program_stats_ = std::make_unique<ProgramStatsGroup>(
      [this] {
        std::vector<Module*> all;
        for (auto& m : modules_) all.push_back(m.get());
        for (Module* m : runtime_->running()) all.push_back(m);
        return all;
      },
      config_.prefix);
  // registering is root: only root and register_users; the refusals anyone
  // can cause at will are logged five a minute
  auto registration_refused = [this](const char* metric) {
    std::string why = store_access_.refusal(pmdaGetContext(), StoreRight::register_programs);
    std::string note;
    if (!why.empty() && registration_refusals_log_.allow(&note))
      pmNotifyErr(LOG_WARNING, "pmstore bcc.control.%s refused: %s%s", metric, why.c_str(),
                  note.c_str());
    return !why.empty();
  };
  control_ = std::make_unique<ControlGroup>(
      config_.prefix,
      ControlGroup::Actions{
          [this, registration_refused](const std::string& text) {
            if (registration_refused("register")) return PM_ERR_PERMISSION;
            return runtime_->register_program(text, pmdaGetContext());
          },
          [this, registration_refused](const std::string& name) {
            if (registration_refused("deregister")) return PM_ERR_PERMISSION;
            return runtime_->deregister(name);
          },
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
  HeaderSource headers = choose_kernel_headers(config_.kernel_headers);
  pmNotifyErr(LOG_INFO, "kernel_headers = %s: programs are compiled against %s",
              kernel_headers_name(config_.kernel_headers), headers.description.c_str());
  if (!headers.problem.empty()) pmNotifyErr(LOG_WARNING, "%s", headers.problem.c_str());
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
  std::string no_counts = open_entry_counter();
  if (!no_counts.empty())
    pmNotifyErr(LOG_INFO, "map entries are counted by reading each hash: %s", no_counts.c_str());
  kernel_ = std::make_unique<RunningKernel>();
  runtime_->bind(*table_, *kernel_);
  if (config_.dynamic.allowed)
    pmNotifyErr(LOG_INFO, "programs may be registered at run time (bcc.control.register) by "
                "root%s%s (registering is root): at most %u, %llu bytes each, compile_timeout "
                "%us, expiry %us",
                config_.register_users.empty() ? "" : " and register_users ",
                join_users(config_.register_users).c_str(), config_.dynamic.max_programs,
                static_cast<unsigned long long>(config_.dynamic.max_program_size),
                config_.dynamic.compile_timeout, config_.dynamic.expiry);
  start_modules();
  if (!config_.module_failure_fatal) return true;
  for (auto& m : modules_)
    if (m->state() == ModuleState::failed) {
      pmNotifyErr(LOG_ERR, "module [%s] failed and module_failure_fatal is set: stopping",
                  m->name().c_str());
      return false;
    }
  return true;
}

// Each module's program is built by a loader process of its own; as many
// are built at once as there are CPUs (compiling is CPU-bound).
void Agent::start_modules() {
  std::vector<size_t> pending;  // positions in modules_, for "(3 of 5)"
  for (size_t i = 0; i < modules_.size(); i++)
    if (modules_[i]->runnable() && modules_[i]->state() != ModuleState::failed)
      pending.push_back(i);
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t k = next++; k < pending.size(); k = next++) {
      Module& m = *modules_[pending[k]];
      pmNotifyErr(LOG_INFO, "module [%s] (%zu of %zu): compiling %s", m.name().c_str(),
                  pending[k] + 1, modules_.size(), m.type().c_str());
      m.start(paths_.modules_dir, *kernel_, config_.process_refresh > 0);
    }
  };
  size_t cpus = std::max(1u, std::thread::hardware_concurrency());
  size_t workers = std::min(pending.size(), cpus);
  std::vector<std::thread> threads;
  for (size_t i = 1; i < workers; i++) threads.emplace_back(work);
  work();
  for (auto& t : threads) t.join();
}

std::vector<std::string> Agent::summary() const {
  std::vector<std::string> lines;
  HeaderSource headers = choose_kernel_headers(config_.kernel_headers);
  lines.push_back("kernel headers (kernel_headers = " +
                  std::string(kernel_headers_name(config_.kernel_headers)) + "): " +
                  headers.description + (headers.problem.empty() ? "" : "; " + headers.problem));
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
          std::unique_lock<std::recursive_mutex> hold = lock_unless_stopping();
          if (hold) runtime_->expire();
        }
        wait.lock();
      }
    });
  if (config_.process_refresh == 0 || refresher_.joinable()) return;
  auto period = std::chrono::seconds(config_.process_refresh);
  refresher_ = std::thread([this, period] {
    std::unique_lock<std::mutex> wait(refresher_lock_);
    while (!refresher_wake_.wait_for(wait, period, [this] { return stopping_; })) {
      wait.unlock();
      for (auto& m : modules_) refresh(*m);
      wait.lock();
    }
  });
}

// The agent's lock is held to look and to swap, never while /proc is read
// nor while a loader builds: fetches are answered meanwhile, from the
// program being replaced.
void Agent::refresh(Module& module) {
  Module::ProcessSurvey survey = module.survey_processes();
  std::optional<Module::Refresh> plan;
  {
    std::unique_lock<std::recursive_mutex> hold = lock_unless_stopping();
    if (!hold) return;
    plan = module.plan_refresh(survey);
  }
  if (!plan) return;
  try {
    Module::Build build = module.build(plan->pids);
    std::unique_lock<std::recursive_mutex> hold = lock_unless_stopping();
    if (hold) module.apply_refresh(*plan, std::move(build));
  } catch (const std::exception& e) {  // the refresher thread goes on
    pmNotifyErr(LOG_ERR, "module [%s]: re-arming: %s", module.name().c_str(), e.what());
    std::unique_lock<std::recursive_mutex> hold = lock_unless_stopping();
    if (hold) module.refresh_failed();
  }
}

// The agent's lock, taken by polling: shutdown, which may hold it, waits
// for this thread to end.
std::unique_lock<std::recursive_mutex> Agent::lock_unless_stopping() {
  std::unique_lock<std::recursive_mutex> hold(lock_, std::defer_lock);
  while (!hold.try_lock()) {
    {
      std::lock_guard<std::mutex> check(refresher_lock_);
      if (stopping_) return hold;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  std::lock_guard<std::mutex> check(refresher_lock_);
  if (stopping_) hold.unlock();
  return hold;
}

void Agent::shutdown() {
  {
    std::lock_guard<std::mutex> wake(refresher_lock_);
    stopping_ = true;
  }
  refresher_wake_.notify_all();
  // both poll for lock_, which our caller may hold, and see stopping_
  for (std::thread* t : {&refresher_, &housekeeper_})
    if (t->joinable() && t->get_id() != std::this_thread::get_id()) t->join();
  if (runtime_) runtime_->shutdown();
  bool any = false;
  for (auto& m : modules_) {
    any = any || m->state() == ModuleState::active || m->state() == ModuleState::partial;
    m->stop();
  }
  if (any) pmNotifyErr(LOG_INFO, "all probes detached");
}

}  // namespace bcc
