#include "exec_events.h"

#include <algorithm>
#include <cstring>

#include "config/ini.h"

namespace bcc {

namespace {

// exec()s whose return never comes (its event lost, or read before the
// arguments from another CPU's buffer) must not pile up: one pending this
// long is taken as lost (an exec() returns in milliseconds), checked once a
// second; beyond kMaxPending only the newest half is kept.
constexpr auto kLostAfter = std::chrono::seconds(10);
constexpr auto kSweepEvery = std::chrono::seconds(1);
constexpr size_t kMaxPending = 1024;

std::string bounded(const char* text, size_t size) { return std::string(text, strnlen(text, size)); }

// One line per exec: a newline inside an argument shows as "\n".
std::string escape_newlines(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

}  // namespace

ExecEvents::ExecEvents(EventTable& table, ExecFilters filters,
                       std::function<Clock::time_point()> now)
    : table_(table), filters_(std::move(filters)), now_(std::move(now)) {}

void ExecEvents::on_record(const void* data, size_t size) {
  if (size < sizeof(execsnoop_event)) return;
  execsnoop_event r;
  std::memcpy(&r, data, sizeof(r));
  if (r.kind == EXECSNOOP_ARGUMENT) {
    Clock::time_point now = now_();
    auto [it, fresh] = pending_.try_emplace(r.pid);
    Pending& p = it->second;
    // the file name starts an exec: what this pid had pending belongs to
    // an earlier one whose return was lost
    if (fresh || r.index == 0) {
      p.args.clear();
      p.args.reserve(256);  // most command lines: one allocation
      p.started = now;
    } else {
      p.args += ' ';
    }
    p.args.append(r.arg, strnlen(r.arg, sizeof(r.arg)));
    if (now >= next_sweep_ || pending_.size() > kMaxPending) forget_lost(now);
    return;
  }
  if (r.kind != EXECSNOOP_RESULT) return;
  std::string args;
  if (auto it = pending_.find(r.pid); it != pending_.end()) {
    args = std::move(it->second.args);
    pending_.erase(it);
  }
  std::string comm = bounded(r.comm, sizeof(r.comm));
  if (r.retval != 0 && !filters_.include_failed) return;
  if (filters_.command && !filters_.command->found_in(comm)) return;
  if (filters_.args && !filters_.args->found_in(args)) return;
  table_.push({comm, uint64_t{r.pid}, uint64_t{r.ppid}, int64_t{r.retval},
                escape_newlines(args)});
}

void ExecEvents::forget_lost(Clock::time_point now) {
  next_sweep_ = now + kSweepEvery;
  for (auto it = pending_.begin(); it != pending_.end();)
    it = now - it->second.started >= kLostAfter ? pending_.erase(it) : std::next(it);
  if (pending_.size() <= kMaxPending) return;
  // a burst: keep the newest half
  std::vector<Clock::time_point> started;
  for (const auto& [pid, p] : pending_) started.push_back(p.started);
  auto cut = started.begin() + static_cast<long>(started.size() - kMaxPending / 2);
  std::nth_element(started.begin(), cut, started.end());
  for (auto it = pending_.begin(); it != pending_.end();)
    it = it->second.started < *cut ? pending_.erase(it) : std::next(it);
  while (pending_.size() > kMaxPending / 2) pending_.erase(pending_.begin());  // ties
}

std::optional<config::Pattern> regex_option(const std::string& name, const std::string& text) {
  if (text.empty()) return std::nullopt;
  try {
    return config::Pattern(text);
  } catch (const std::invalid_argument& e) {
    throw config::ConfigError(name + " = " + e.what());
  }
}

}  // namespace bcc
