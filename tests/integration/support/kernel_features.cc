#include "support/kernel_features.h"

#include <unistd.h>

#include <initializer_list>

namespace bcc::test {

bool kernel_has_kprobes() {
  for (const char* path : {"/sys/bus/event_source/devices/kprobe/type",
                           "/sys/kernel/tracing/kprobe_events",
                           "/sys/kernel/debug/tracing/kprobe_events"})
    if (access(path, F_OK) == 0) return true;
  return false;
}

}  // namespace bcc::test
