#include "bpf/process_entries.h"

#include <signal.h>

#include <cerrno>

#include "bpf/tables.h"

namespace bcc {

bool process_running(int pid) { return pid > 0 && (kill(pid, 0) == 0 || errno != ESRCH); }

size_t remove_exited_processes(Maps& maps, const std::string& table) {
  size_t removed = 0;
  for (const MapEntry& e : read_entries(maps, table))
    if (!process_running(static_cast<int>(field<uint32_t>(e.key, 0))))
      removed += delete_entry(maps, table, e.key) ? 1 : 0;
  return removed;
}

}  // namespace bcc
