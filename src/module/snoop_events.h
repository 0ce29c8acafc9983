// What the snoop modules that carry pmdabpf's event tables over share
// (opensnoop, statsnoop, mountsnoop, fsslower): the options and the perf
// buffer of a table of the newest `process_count` events (RecordRows),
// pmdabpf's `pid` option and our `process`.
#pragma once

#include <string>
#include <vector>

#include "module/record_rows.h"
#include "module/spec.h"

namespace bcc {

// The help sentence every column of a snoop table ends with.
std::string newest_events_help(const std::string& what);

// The options and perf buffer every snoop module has: `process_count`
// (default 20), `buffer_page_count` (`pages`), pmdabpf's `pid` (-DTARGET_PID,
// read by modules/snoop_filter.h) and the `process` filter (-DFILTER_PIDS,
// the program's filter_pids map); the records come from the perf buffer
// `events`.
ModuleSpec& snoop_events(ModuleSpec& spec, const std::string& what, uint64_t pages);

}  // namespace bcc
