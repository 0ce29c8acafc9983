// Which language runtime a process runs, for modules whose USDT probes
// depend on it (a JVM's hotspot probes, a Ruby interpreter's...).
#pragma once

#include <string>

namespace bcc {

// "java", "node", "perl", "php", "python" or "ruby" when the process's
// executable path names one or it has that runtime's library mapped
// (libjvm.so, libruby...), "c" for other native code, "" when unknown (or
// gone). libbcc's own detection, as bcc's tools and the Python agent use.
std::string runtime_language(int pid);

}  // namespace bcc
