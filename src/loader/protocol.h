// What the agent asks of a loader, and what a loader hands back.
//
// The agent starts `pmdabcc-loader NAME` with the request (JSON, below) in a
// memfd on descriptor 3 and one end of a SOCK_SEQPACKET socket pair on
// descriptor 4; standard input is /dev/null. The loader compiles, loads and
// attaches, then sends every descriptor the agent needs as SCM_RIGHTS
// messages of at most kFdsPerMessage descriptors each (payload "fds"),
// then one last message whose payload is "manifest" and which carries one
// descriptor: a memfd holding the manifest (JSON, below). Descriptors are
// named in the manifest by their position in the order they arrived
// (0, 1, ...; the manifest's own memfd is not counted). The loader exits
// right after, without detaching anything: the agent's copies of the
// descriptors keep programs, maps and attachments alive, and closing them
// detaches.
#pragma once

#include <string>
#include <vector>

#include "bpf/kernel_headers.h"
#include "bpf/probe.h"

namespace bcc::loader {

constexpr int kRequestFd = 3;
constexpr int kSocketFd = 4;
constexpr size_t kFdsPerMessage = 200;  // the kernel takes at most 253 a message
// compiler output kept in a manifest (the rest is cut, with a note)
constexpr size_t kMaxCompilerOutput = 64 * 1024;

// Which #include directives and tables a program's text may use.
enum class SourcePolicy {
  module,      // the agent's own modules/*.bpf: anything
  custom,      // `module = custom` in bcc.conf: kernel and BCC headers, and
               // "file" from the program's own folder (include_dir)
  registered,  // bcc.control.register: kernel and BCC headers only; no
               // pinned, public, shared or extern tables
};
const char* policy_name(SourcePolicy policy);

struct BuildRequest {
  std::string name;    // the module or program: the loader's argv[1], and log lines
  std::string source;  // the program text
  // what compiler messages call the program ("runqlat.bpf", "pmstore");
  // libbcc's own name for it (/virtual/main.c) is replaced by this
  std::string origin;
  std::vector<std::string> defines;  // "NAME" or "NAME=VALUE", without -D
  // USDT probes whose argument readers libbcc must generate (as compiled in)
  std::vector<ProbeAlternative> usdt;
  // what to attach, in order; every one is tried, each has its result
  std::vector<ProbeAlternative> attach;
  std::vector<std::string> maps;  // the maps whose descriptors come back
  SourcePolicy policy = SourcePolicy::module;
  std::string include_dir;  // "file" includes: a module's modules folder, a custom program's own
  // what to compile against (bpf/kernel_headers.h): "auto", "btf", "installed"
  std::string kernel_headers = "auto";
  // where trees made from BTF are kept (loader/btf_tree.h)
  std::string header_cache = kKernelHeaderCache;
};

struct Attachment {
  std::string function;  // the .bpf function
  std::string error;     // "" when attached
  int program = -1;      // the loaded function's descriptor (index), -1 when none
  std::vector<int> links;  // perf event or link descriptors (indexes); closing detaches
};

struct Manifest {
  // why nothing was built: refused by the policy, or compile failed (the
  // compiler's error lines, numbered as the program is written); "" on success
  std::string error;
  // all the compiler printed (libbcc's noise removed, paths stripped,
  // at most kMaxCompilerOutput bytes)
  std::string compiler_output;
  double compile_seconds = 0;
  // what the program was compiled against: "the running kernel's BTF (...)"
  // or "the installed kernel headers (...)"; "" when not compiled
  std::string kernel_headers;
  bool btf = false;  // compiled against a tree made from BTF
  struct Map {
    std::string name;
    int fd = -1;  // index
  };
  std::vector<Map> maps;
  std::vector<Attachment> attachments;  // one per BuildRequest::attach, same order
  // tracefs probe events (kprobe_events/uprobe_events names) libbcc created
  // and that must be removed once the links are closed
  std::vector<std::string> tracefs_events;
};

std::string to_json(const BuildRequest& request);
BuildRequest request_from_json(const std::string& json);  // throws std::runtime_error
std::string to_json(const Manifest& manifest);
Manifest manifest_from_json(const std::string& json);  // throws std::runtime_error

// The loader's exit status when it could not even report (bad request,
// socket gone); any other failure is reported in the manifest.
constexpr int kExitBadRequest = 2;

}  // namespace bcc::loader
