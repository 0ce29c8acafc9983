#include "module/exec_events.h"

#include <cstring>

#include "config/ini.h"

namespace bcc {

namespace {

// exec()s whose return never came (a lost event) must not pile up.
constexpr size_t kMaxPending = 4096;

std::string bounded(const char* text, size_t size) { return std::string(text, strnlen(text, size)); }

std::string join(const std::vector<std::string>& args) {
  std::string out;
  for (const std::string& a : args) out += (out.empty() ? "" : " ") + a;
  return out;
}

// One line per exec: a newline inside an argument shows as "\n".
std::string escape_newlines(const std::string& s) {
  std::string out;
  for (char c : s) out += c == '\n' ? std::string("\\n") : std::string(1, c);
  return out;
}

}  // namespace

ExecEvents::ExecEvents(std::shared_ptr<EventTable> table, ExecFilters filters)
    : table_(std::move(table)), filters_(std::move(filters)) {}

void ExecEvents::on_record(const void* data, size_t size) {
  if (size < sizeof(ExecRecord)) return;
  ExecRecord r;
  std::memcpy(&r, data, sizeof(r));
  if (r.kind == ExecRecord::argument) {
    if (pending_.size() >= kMaxPending && !pending_.count(r.pid)) pending_.clear();
    pending_[r.pid].push_back(bounded(r.arg, sizeof(r.arg)));
    return;
  }
  if (r.kind != ExecRecord::result) return;
  std::string args;
  if (auto it = pending_.find(r.pid); it != pending_.end()) {
    args = join(it->second);
    pending_.erase(it);
  }
  std::string comm = bounded(r.comm, sizeof(r.comm));
  if (r.retval != 0 && !filters_.include_failed) return;
  if (filters_.command && !filters_.command->found_in(comm)) return;
  if (filters_.args && !filters_.args->found_in(args)) return;
  table_->push({comm, uint64_t{r.pid}, uint64_t{r.ppid}, int64_t{r.retval},
                escape_newlines(args)});
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
