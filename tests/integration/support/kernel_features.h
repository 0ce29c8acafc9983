// What the running kernel offers that a test's expectations depend on.
#pragma once

namespace bcc::test {

// Whether kprobes can be attached: a kprobe PMU or a kprobe_events file in
// tracefs (where it is mounted, or below debugfs). Tests of kprobe-only
// paths skip, saying so, where this is false.
bool kernel_has_kprobes();

}  // namespace bcc::test
