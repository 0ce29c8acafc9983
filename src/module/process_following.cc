#include "module/process_following.h"

#include <unistd.h>

#include <functional>
#include <stdexcept>

#include "bpf/tables.h"

namespace bcc {

namespace {

// Runs `parse`, turning its std::invalid_argument into a ConfigError that
// names the file, line, section and key.
void with_option_context(const config::ModuleSection& section, const ModuleOptions& options,
                         const std::string& key, const std::function<void()>& parse) {
  try {
    parse();
  } catch (const std::invalid_argument& e) {
    const config::Entry* entry = section.section ? section.section->find(key) : nullptr;
    throw config::ConfigError(section.file + ":" + std::to_string(entry ? entry->line : 0) +
                              ": [" + section.name + "] " + key + " = '" + options.text(key) +
                              "': " + e.what());
  }
}

}  // namespace

std::unique_ptr<ProcessFilter> process_filter_of(const config::ModuleSection& section,
                                                 const ModuleSpec& spec,
                                                 const ModuleOptions& options) {
  std::unique_ptr<ProcessFilter> filter;
  const std::string& key = spec.process_option();
  if (!key.empty() && options.is_set(key)) {
    ProcessNarrowing narrowing;
    const char* user_key = ModuleSpec::kProcessUserOption;
    const char* exe_key = ModuleSpec::kProcessExeOption;
    with_option_context(section, options, user_key, [&] {
      if (options.is_set(user_key)) narrowing.users = parse_process_users(options.text(user_key));
    });
    with_option_context(section, options, exe_key, [&] {
      if (options.is_set(exe_key)) narrowing.exes = parse_process_exes(options.text(exe_key));
    });
    with_option_context(section, options, key,
                        [&] {
                          filter = std::make_unique<ProcessFilter>(options.text(key),
                                                                   std::move(narrowing));
                        });
  } else {
    for (const char* narrowing_key :
         {ModuleSpec::kProcessUserOption, ModuleSpec::kProcessExeOption})
      if (!key.empty() && options.is_set(narrowing_key))
        with_option_context(section, options, narrowing_key, [&] {
          throw std::invalid_argument("narrows the '" + key + "' option, which is not set");
        });
  }
  return filter;
}

ProcessFollowing::ProcessFollowing(std::unique_ptr<ProcessFilter> filter, ProcessArming arming,
                                   std::string pattern, ModuleLog log)
    : filter_(std::move(filter)),
      arming_(arming),
      pattern_(std::move(pattern)),
      log_(std::move(log)) {}

ProcessSurvey ProcessFollowing::survey() const {
  ProcessSurvey survey;
  if (!filter_) return survey;
  for (const ProcessInfo& p : filter_->scan()) {
    survey.matching.push_back(p.pid);
    // thread ids too: tracepoints about tasks (sched_*) carry thread ids, and
    // a thread id never equals another live process's pid
    if (arming_ == ProcessArming::none)
      for (int tid : thread_ids(p.pid)) survey.matching_tids.push_back(tid);
  }
  return survey;
}

std::vector<int> ProcessFollowing::pids_to_arm(const ProcessSurvey& survey) {
  std::vector<int> pids = survey.matching;
  if (arming_ == ProcessArming::first_match && pids.size() > 1) {
    if (pids.size() != matches_logged_)
      log_(LOG_INFO, std::to_string(pids.size()) + " processes match '" + pattern_ +
                         "'; its probes follow one process: the first, pid " +
                         std::to_string(pids.front()));
    matches_logged_ = pids.size();
    pids.resize(1);
  } else {
    matches_logged_ = pids.size();
  }
  return pids;
}

void ProcessFollowing::update_filter_map(Maps& program, const ProcessSurvey& survey) {
  const std::vector<int>& processes = survey.matching;
  std::vector<int> tids = survey.matching_tids;
  if (tids == followed_tids_ && filter_map_set_) return;
  filter_map_set_ = true;
  auto key = [](int pid) {
    uint32_t k = static_cast<uint32_t>(pid);
    return std::string(reinterpret_cast<const char*>(&k), sizeof k);
  };
  for (int tid : followed_tids_) delete_entry(program, "filter_pids", key(tid));
  for (int tid : tids) update_entry(program, "filter_pids", key(tid), std::string(1, '\1'));
  // a followed process starting threads changes this at will
  std::string note;
  if (following_log_->allow(&note)) {
    if (processes.empty())
      log_(LOG_INFO, "no process matches '" + pattern_ + "' yet: activation postponed" + note);
    else
      log_(LOG_INFO, "following " + std::to_string(processes.size()) +
                         " process(es), first pid " + std::to_string(processes.front()) + note);
  }
  followed_tids_ = std::move(tids);
}

void ProcessFollowing::watch_binaries(
    const std::vector<std::pair<std::string, ProbeAlternative>>& used) {
  watched_.clear();
  for (const auto& [probe, alt] : used) {
    if (alt.type != ProbeType::uprobe && alt.type != ProbeType::uretprobe &&
        alt.type != ProbeType::usdt)
      continue;
    if (auto identity = file_identity(alt.binary())) watched_.emplace_back(alt.binary(), identity);
  }
}

void ProcessFollowing::rearming_failed(WatchedBinaries watched) {
  watched_ = std::move(watched);
  for (auto& [path, identity] : watched_) identity = file_identity(path);
}

void ProcessFollowing::detached() {
  watched_.clear();
  followed_tids_.clear();
  filter_map_set_ = false;
}

std::string ProcessFollowing::replaced_binary() const {
  for (const auto& [path, identity] : watched_) {
    if (file_identity(path) == identity) continue;
    // "/proc/PID/root/...": a process that just exited is the next rescan's
    // business, not a replaced file
    if (path.rfind("/proc/", 0) == 0) {
      std::string process_dir = path.substr(0, path.find('/', 6));
      if (access(process_dir.c_str(), F_OK) != 0) continue;
    }
    return path;
  }
  return "";
}

ProcessFollowing::Plan ProcessFollowing::plan(const ProcessSurvey& survey) {
  Plan plan;
  plan.pids = arms_per_process() ? pids_to_arm(survey) : armed_pids_;
  if (plan.pids != armed_pids_) {
    // a module that failed to arm is tried again when the processes change
    plan.action = plan.pids.empty() ? Plan::postpone : Plan::rearm;
    return plan;
  }
  plan.replaced_binary = replaced_binary();
  if (!plan.replaced_binary.empty()) plan.action = Plan::rearm;
  return plan;
}

}  // namespace bcc
