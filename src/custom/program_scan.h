// The probes of a custom program, found by the names BCC gives its
// functions: TRACEPOINT_PROBE(cat, ev), RAW_TRACEPOINT_PROBE(ev),
// kprobe__fn, kretprobe__fn, and for the uprobes and usdts keys
// uprobe__symbol, uretprobe__symbol and usdt__probe.
#pragma once

#include <string>
#include <vector>

#include "bpf/probe.h"

namespace bcc {

// The text without its comments and the contents of its string and
// character literals (each replaced by blanks, lines kept), so that
// commented-out functions are not probes.
std::string code_only(const std::string& source);

// One chain per tracepoint, raw tracepoint, kprobe and kretprobe function
// the program defines, in order, each with its one alternative.
std::vector<ProbeChain> kernel_probes_in(const std::string& source);

// Whether the program defines a function of this name.
bool defines_function(const std::string& source, const std::string& name);

}  // namespace bcc
