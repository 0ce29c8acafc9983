#include "dynamic/runtime_programs.h"

#include <pcp/pmapi.h>
#include <pcp/pmda.h>

#include <algorithm>

#include "custom/custom_module.h"
#include "dynamic/limits.h"

namespace bcc::dynamic {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

RuntimePrograms::RuntimePrograms(config::DynamicLimits limits, std::string prefix,
                                 std::set<std::string> taken_names,
                                 std::recursive_mutex& agent_lock)
    : limits_(limits),
      prefix_(std::move(prefix)),
      taken_names_(std::move(taken_names)),
      agent_lock_(agent_lock),
      clusters_(config::kFirstDynamicCluster, config::kLastDynamicCluster),
      expiry_(limits.expiry) {}

RuntimePrograms::~RuntimePrograms() { shutdown(); }

void RuntimePrograms::bind(MetricTable& table, const KernelProbes& kernel) {
  table_ = &table;
  kernel_ = &kernel;
}

RuntimePrograms::Entry* RuntimePrograms::find(const std::string& name) {
  for (auto& e : entries_)
    if (e->name == name && !e->discard) return e.get();
  return nullptr;
}

int RuntimePrograms::refuse(int context, int code, const std::string& why) {
  std::string note;
  if (refusals_log_.allow(&note))
    pmNotifyErr(LOG_WARNING, "pmstore bcc.control.register refused: %s%s", why.c_str(),
                note.c_str());
  last_by_context_[context] = "refused: " + why;
  return code;
}

size_t RuntimePrograms::places_held() const {
  size_t n = 0;
  for (const auto& e : entries_)
    if (state_of(*e) != "failed") n++;
  return n;
}

int RuntimePrograms::register_program(const std::string& text, int context) {
  reap();
  if (!table_ || !kernel_) return PM_ERR_AGAIN;  // not started yet
  std::string why = limit_problem(limits_, text.size(), places_held());
  if (!limits_.allowed) return refuse(context, PM_ERR_PERMISSION, why);
  if (!why.empty()) return refuse(context, PM_ERR_BADSTORE, why);

  std::optional<std::string> annotated = annotated_name(text);
  std::string name;
  if (annotated) {
    name = *annotated;
    why = name_problem(name);
    if (!why.empty()) return refuse(context, PM_ERR_BADSTORE, "'// name:' annotation: " + why);
    if (taken_names_.count(name))
      return refuse(context, PM_ERR_BADSTORE,
                    "the name '" + name + "' is a section of bcc.conf; choose another");
    if (Entry* old = find(name)) {
      if (state_of(*old) != "failed")
        return refuse(context, PM_ERR_BADSTORE,
                      "a program named '" + name + "' is registered; deregister it first");
      remove(name, "replaced by a new registration");  // a fixed version of a failed one
    }
  } else {
    std::set<std::string> taken = taken_names_;
    for (const auto& e : entries_) taken.insert(e->name);
    name = names_.next(taken);
  }

  auto entry = std::make_unique<Entry>();
  entry->name = name;
  entry->named = annotated.has_value();
  entry->started = Clock::now();
  last_by_context_[context] = name;
  pmNotifyErr(LOG_INFO, "program [%s]: registering (%zu bytes)", name.c_str(), text.size());
  try {
    CustomProgram program;
    program.name = name;
    program.source = text;
    program.origin = "pmstore";
    program.policy = loader::SourcePolicy::registered;
    ModuleSpec spec = custom_module(program);
    entry->cluster = clusters_.take();
    if (!entry->cluster) throw config::ConfigError("no PMID cluster is left for it");
    config::ModuleSection section;
    section.name = name;
    section.type = "custom";
    section.cluster = *entry->cluster;
    section.file = "pmstore";
    ModuleOptions options(spec.options());
    entry->module = std::make_unique<Module>(section, prefix_, std::move(spec), std::move(options));
  } catch (const config::ConfigError& e) {
    entry->error = e.what();
    if (entry->cluster) clusters_.release(*entry->cluster);
    entry->cluster.reset();
    pmNotifyErr(LOG_ERR, "program [%s]: refused: %s", name.c_str(), entry->error.c_str());
    if (!entry->named) expiry_.track(name, Clock::now());
    entries_.push_back(std::move(entry));
    prune_failed();
    return PM_ERR_BADSTORE;
  }

  entry->module->set_build_timeout(std::chrono::seconds(limits_.compile_timeout));
  entry->module->set_kernel_headers(kernel_headers_);
  Entry* e = entries_.emplace_back(std::move(entry)).get();
  e->finished = false;
  // the store is answered now: a loader builds the program meanwhile, and
  // bcc.info.programs shows how that ends
  e->worker = std::thread([this, e] { compile(e); });
  return 0;
}

// On the entry's own thread, without the agent's lock: the module is in no
// table yet, nothing else touches it.
void RuntimePrograms::compile(Entry* e) {
  e->module->start("", *kernel_);
  std::unique_lock<std::mutex> hold(jobs_lock_);
  // installed under the agent's lock, unless the agent stops or the program
  // was deregistered meanwhile
  for (;;) {
    if (stopping_ || e->discard) {
      e->module->stop();
      e->finished = true;
      return;
    }
    hold.unlock();
    if (agent_lock_.try_lock()) {
      install(e);
      agent_lock_.unlock();
      hold.lock();
      e->finished = true;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    hold.lock();
  }
}

void RuntimePrograms::install(Entry* e) {
  auto release = [&] {
    if (e->cluster) clusters_.release(*e->cluster);
    e->cluster.reset();
  };
  if (e->discard) {
    e->module->stop();
    release();
    return;
  }
  double took = seconds_since(e->started);
  ModuleState state = e->module->state();
  if (took > limits_.compile_timeout) {
    e->module->stop();
    char text[200];
    snprintf(text, sizeof text,
             "compiling and attaching took %.1fs, over [pmda] compile_timeout = %us: discarded",
             took, limits_.compile_timeout);
    e->error = text;
  } else if (state == ModuleState::active || state == ModuleState::partial) {
    if (table_->add(*e->module)) {
      e->installed = true;
    } else {
      e->module->stop();
      e->error = "its PMID cluster is in use";  // not expected: clusters are reserved
    }
  } else {
    e->error = e->module->reason().empty() ? "it did not start" : e->module->reason();
  }
  if (e->installed) {
    pmNotifyErr(LOG_INFO, "program [%s]: %s in %.2fs, %zu metric(s) %scustom.%s.*",
                e->name.c_str(), state_name(state), took, e->module->metrics().size(),
                prefix_.c_str(), e->name.c_str());
  } else {
    release();
    pmNotifyErr(LOG_ERR, "program [%s]: failed: %s", e->name.c_str(), e->error.c_str());
  }
  if (!e->named) expiry_.track(e->name, Clock::now());
  prune_failed();
}

int RuntimePrograms::deregister(const std::string& name) {
  reap();
  if (!find(name)) {
    pmNotifyErr(LOG_WARNING, "pmstore bcc.control.deregister: no program named '%s'",
                name.c_str());
    return PM_ERR_BADSTORE;
  }
  remove(name, "deregistered");
  return 0;
}

void RuntimePrograms::remove(const std::string& name, const char* why) {
  auto it = std::find_if(entries_.begin(), entries_.end(),
                         [&](const auto& e) { return e->name == name && !e->discard; });
  if (it == entries_.end()) return;
  Entry* e = it->get();
  expiry_.forget(name);
  {
    std::lock_guard<std::mutex> hold(jobs_lock_);
    if (!e->finished && !e->installed) {
      // still compiling (or about to be installed by its thread): dropped
      // as soon as the compiler returns
      e->discard = true;
      pmNotifyErr(LOG_INFO, "program [%s]: %s while compiling; discarded when the compiler "
                  "returns", name.c_str(), why);
      return;
    }
  }
  if (e->installed) table_->remove(*e->cluster);
  if (e->cluster) clusters_.release(*e->cluster);
  if (e->module) e->module->stop();  // probes detached, maps freed
  if (e->worker.joinable()) e->worker.join();
  entries_.erase(it);
  pmNotifyErr(LOG_INFO, "program [%s]: %s; its probes are detached and its maps freed",
              name.c_str(), why);
}

void RuntimePrograms::reap() {
  std::lock_guard<std::mutex> hold(jobs_lock_);
  for (auto it = entries_.begin(); it != entries_.end();) {
    Entry* e = it->get();
    if (e->discard && e->finished) {
      if (e->worker.joinable()) e->worker.join();
      if (e->cluster) clusters_.release(*e->cluster);
      it = entries_.erase(it);
    } else {
      ++it;
    }
  }
}

void RuntimePrograms::prune_failed() {
  // the newest failures are kept for bcc.info.programs, as many as programs may run
  size_t failed = 0;
  for (auto it = entries_.rbegin(); it != entries_.rend(); ++it) {
    Entry* e = it->get();
    if (e->discard || state_of(*e) != "failed") continue;
    if (++failed > limits_.max_programs) {
      std::lock_guard<std::mutex> hold(jobs_lock_);
      e->discard = true;  // reaped once its thread is done
    }
  }
}

std::string RuntimePrograms::state_of(const Entry& e) const {
  if (!e.error.empty()) return "failed";
  if (e.installed) return state_name(e.module->state());
  return "compiling";
}

std::string RuntimePrograms::json() const {
  std::vector<ProgramInfo> out;
  for (const auto& e : entries_) {
    if (e->discard) continue;
    ProgramInfo info;
    info.name = e->name;
    info.named = e->named;
    info.state = state_of(*e);
    info.error = e->error;
    if (info.state == "compiling" && seconds_since(e->started) > limits_.compile_timeout)
      info.error = "over [pmda] compile_timeout = " + std::to_string(limits_.compile_timeout) +
                   "s: discarded when the compiler returns";
    if (e->installed) {
      if (info.state == "partial") info.error = e->module->reason();
      for (const MetricSpec& m : e->module->metrics()) info.metrics.push_back(prefix_ + m.name);
    }
    out.push_back(std::move(info));
  }
  return programs_json(out);
}

std::string RuntimePrograms::last_registration(int context) const {
  auto it = last_by_context_.find(context);
  return it == last_by_context_.end() ? "" : it->second;
}

void RuntimePrograms::fetched(unsigned cluster) {
  for (const auto& e : entries_)
    if (e->installed && e->cluster == cluster && !e->named) expiry_.used(e->name, Clock::now());
}

void RuntimePrograms::expire() {
  reap();
  for (const std::string& name : expiry_.expired(Clock::now())) {
    Entry* e = find(name);
    if (!e) {
      expiry_.forget(name);
      continue;
    }
    if (state_of(*e) == "compiling") continue;
    remove(name, ("expired: nothing fetched its metrics for " + std::to_string(limits_.expiry) +
                  "s").c_str());
  }
}

std::vector<Module*> RuntimePrograms::running() const {
  std::vector<Module*> out;
  for (const auto& e : entries_)
    if (e->installed && !e->discard) out.push_back(e->module.get());
  return out;
}

void RuntimePrograms::shutdown() {
  {
    std::lock_guard<std::mutex> hold(jobs_lock_);
    stopping_ = true;
  }
  // workers never wait for the agent's lock once stopping_ is set
  for (auto& e : entries_)
    if (e->worker.joinable() && e->worker.get_id() != std::this_thread::get_id()) e->worker.join();
  for (auto& e : entries_)
    if (e->module) e->module->stop();
}

}  // namespace bcc::dynamic
