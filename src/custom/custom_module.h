// Custom programs: a BCC program whose maps become metrics, declared by a
// bcc.conf section (`module = custom`) or registered while the agent runs.
#pragma once

#include <string>
#include <vector>

#include "config/ini.h"
#include "module/spec.h"

namespace bcc {

// A BCC program whose maps become metrics, from a bcc.conf section or a registration.
struct CustomProgram {
  std::string name;     // metrics appear as <prefix>custom.<name>.<map>
  std::string source;   // the BCC C text
  std::string origin;   // for messages: the .bpf path, or "pmstore"
  std::string exports;  // the `export` key; "" = the program's `// export:` annotations only
  // "library:symbol" (runs uprobe__<symbol> and/or uretprobe__<symbol>) and
  // "path:probe" (runs usdt__<probe>), as the uprobe_hits and usdt_hits
  // modules name them
  std::vector<std::string> uprobes;
  std::vector<std::string> usdts;
  // what its text may include and declare: registered programs only kernel
  // and BCC headers; bcc.conf's also files of their own folder
  loader::SourcePolicy policy = loader::SourcePolicy::registered;
  std::string include_dir;
};

// Its module declaration; throws config::ConfigError (naming origin, key and the fix) for a
// bad export declaration. Unknown maps / wrong value sizes are found at start and fail the
// module with a reason (status), with the compiler's message for compile errors.
ModuleSpec custom_module(const CustomProgram& program);

// The declaration for a `module = custom` section of bcc.conf: reads its
// `program` (relative to bcc.conf's folder, refused when anyone but root
// could write it), `export`, `uprobes` and `usdts` keys. Throws
// config::ConfigError naming file:line, key and the fix.
ModuleSpec custom_section_module(const config::IniFile& file, const config::Section& section);

}  // namespace bcc
