#include "loader/build.h"

#include <bcc/BPF.h>
#include <dirent.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <cstdlib>
#include <map>
#include <optional>
#include <set>

#include "bpf/compile_errors.h"
#include "bpf/kernel_headers.h"
#include "loader/btf_tree.h"
#include "loader/compiler_output.h"
#include "loader/stderr_capture.h"

namespace bcc::loader {

namespace {

std::string status_text(const ebpf::StatusTuple& st) {
  return st.msg().empty() ? "error " + std::to_string(st.code()) : st.msg();
}

ebpf::USDT usdt_of(const ProbeAlternative& alt) {
  std::string name = alt.symbol();
  size_t colon = name.find(':');
  std::string provider = colon == std::string::npos ? "" : name.substr(0, colon);
  std::string probe = colon == std::string::npos ? name : name.substr(colon + 1);
  if (alt.pid >= 0) return ebpf::USDT(alt.binary(), alt.pid, provider, probe, alt.function_name());
  return ebpf::USDT(alt.binary(), provider, probe, alt.function_name());
}

ebpf::StatusTuple attach(ebpf::BPF& bpf, const ProbeAlternative& alt) {
  std::string fn = alt.function_name();
  switch (alt.type) {
    case ProbeType::tracepoint: return bpf.attach_tracepoint(alt.target, fn);
    case ProbeType::raw_tracepoint: return bpf.attach_raw_tracepoint(alt.target, fn);
    case ProbeType::kprobe: return bpf.attach_kprobe(alt.target, fn);
    case ProbeType::kretprobe: return bpf.attach_kprobe(alt.target, fn, 0, BPF_PROBE_RETURN);
    case ProbeType::uprobe:
      return bpf.attach_uprobe(alt.binary(), alt.symbol(), fn, 0, BPF_PROBE_ENTRY, alt.pid);
    case ProbeType::uretprobe:
      return bpf.attach_uprobe(alt.binary(), alt.symbol(), fn, 0, BPF_PROBE_RETURN, alt.pid);
    case ProbeType::usdt: return bpf.attach_usdt(usdt_of(alt), alt.pid);
    case ProbeType::perf_event: {
      auto id = perf_event_id(alt.target);
      if (!id) return ebpf::StatusTuple(-1, "unknown perf event %s", alt.target.c_str());
      // one perf event per CPU (or the one CPU asked): all are its links
      return bpf.attach_perf_event(id->type, id->config, fn, alt.sampling.period,
                                   alt.sampling.frequency, -1, alt.sampling.cpu);
    }
  }
  return ebpf::StatusTuple(-1, "unknown probe type");
}

std::optional<bpf_prog_type> program_type(ProbeType type) {
  switch (type) {
    case ProbeType::tracepoint: return BPF_PROG_TYPE_TRACEPOINT;
    case ProbeType::raw_tracepoint: return BPF_PROG_TYPE_RAW_TRACEPOINT;
    case ProbeType::perf_event: return BPF_PROG_TYPE_PERF_EVENT;
    case ProbeType::kprobe:
    case ProbeType::kretprobe:
    case ProbeType::uprobe:
    case ProbeType::uretprobe:
    case ProbeType::usdt: return BPF_PROG_TYPE_KPROBE;
  }
  return std::nullopt;
}

// This process's descriptors that attach something: a perf event
// (tracepoints, uprobes, perf events, kprobes) or a BPF link (raw
// tracepoints). libbcc keeps them in private tables, so the ones an attach
// call adds are found by looking before and after.
std::set<int> attachment_fds() {
  std::set<int> fds;
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return fds;
  int own = dirfd(dir);
  while (struct dirent* e = readdir(dir)) {
    if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
    int fd = std::atoi(e->d_name);
    if (fd == own) continue;
    char link[64];
    std::string path = std::string("/proc/self/fd/") + e->d_name;
    ssize_t n = readlink(path.c_str(), link, sizeof link - 1);
    if (n <= 0) continue;
    std::string target(link, static_cast<size_t>(n));
    if (target == "anon_inode:[perf_event]" || target == "anon_inode:bpf_link") fds.insert(fd);
  }
  closedir(dir);
  return fds;
}

// The probe events libbcc created in tracefs under this process's name,
// when the kernel's perf PMUs for k/uprobes were not available:
// "kprobes/p_do_sys_open_bcc_1234" (group/event, as kprobe_events lists it).
std::vector<std::string> tracefs_events() {
  std::vector<std::string> events;
  std::string mark = "_bcc_" + std::to_string(getpid());
  for (const char* file : {"/sys/kernel/tracing/kprobe_events", "/sys/kernel/tracing/uprobe_events"}) {
    std::ifstream in(file);
    std::string line;
    while (std::getline(in, line)) {
      // "p:kprobes/p_do_sys_open_bcc_1234 do_sys_open"
      size_t colon = line.find(':'), space = line.find(' ');
      if (colon == std::string::npos || space == std::string::npos || space < colon) continue;
      std::string name = line.substr(colon + 1, space - colon - 1);
      size_t at = name.rfind(mark);
      if (at != std::string::npos && at + mark.size() == name.size()) events.push_back(name);
    }
  }
  return events;
}

// Indexes of descriptors in the order they are sent; one index per
// descriptor however many attachments share it.
class Descriptors {
 public:
  explicit Descriptors(std::vector<int>* fds) : fds_(fds) {}
  int index(int fd) {
    auto [it, added] = index_.try_emplace(fd, static_cast<int>(fds_->size()));
    if (added) fds_->push_back(fd);
    return it->second;
  }

 private:
  std::vector<int>* fds_;
  std::map<int, int> index_;
};

// Points libbcc at what the request asks to compile against; "" when
// done, else why nothing can be compiled.
std::string choose_headers(const BuildRequest& request, Manifest* manifest) {
  auto mode = parse_kernel_headers(request.kernel_headers);
  if (!mode) return "unknown kernel_headers '" + request.kernel_headers + "'";
  HeaderSource source = choose_kernel_headers(*mode);
  if (!source.compiles) return source.problem;  // nothing is compiled
  manifest->kernel_headers = source.description;
  manifest->btf = source.btf;
  // installed: libbcc finds them itself (BCC_KERNEL_SOURCE, or
  // /lib/modules/$(uname -r)/{build,source})
  if (!source.btf) return "";
  try {
    std::string tree = btf_tree(request.header_cache);
    setenv("BCC_KERNEL_SOURCE", tree.c_str(), 1);
    manifest->kernel_headers += ", as " + tree;
  } catch (const std::exception& e) {
    return std::string("cannot make kernel headers from the running kernel's BTF: ") + e.what();
  }
  return "";
}

}  // namespace

Manifest build(const BuildRequest& request, std::vector<int>* fds) {
  Manifest manifest;
  // Never destroyed: its destructor would detach and close everything the
  // agent is about to receive (the process ends with _exit).
  auto* bpf = new ebpf::BPF();

  std::vector<std::string> cflags;
  for (const std::string& d : request.defines) cflags.push_back("-D" + d);
  // "file" includes: a module's from the agent's modules folder, a custom
  // program's from its own folder; a registered program has none
  if (request.policy != SourcePolicy::registered && !request.include_dir.empty())
    cflags.push_back("-I" + request.include_dir);
  std::vector<ebpf::USDT> usdts;
  for (const ProbeAlternative& alt : request.usdt) usdts.push_back(usdt_of(alt));

  auto start = std::chrono::steady_clock::now();
  manifest.error = choose_headers(request, &manifest);
  if (!manifest.error.empty()) return manifest;
  StderrCapture compiling;
  ebpf::StatusTuple st = bpf->init(request.source, cflags, usdts);
  manifest.compile_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::string output = cleaned_output(compiling.finish(), request.policy, request.origin);
  manifest.compiler_output = output;
  if (!st.ok()) {
    manifest.error = compile_errors(output, request.source);
    if (manifest.error.empty()) manifest.error = status_text(st);
    std::string note = manifest.btf ? btf_compile_note(output) : "";
    if (!note.empty()) manifest.error += " (" + note + ")";
    return manifest;
  }

  Descriptors indexes(fds);
  std::string attach_output;
  for (const ProbeAlternative& alt : request.attach) {
    Attachment a;
    a.function = alt.function_name();
    std::set<int> before = attachment_fds();
    StderrCapture attaching;  // loading prints the verifier's log, and libbcc's noise
    st = attach(*bpf, alt);
    attach_output += attaching.finish();
    if (!st.ok()) {
      a.error = status_text(st);
      manifest.attachments.push_back(a);
      continue;
    }
    for (int fd : attachment_fds())
      if (!before.count(fd)) a.links.push_back(indexes.index(fd));
    int program = -1;
    // the function is loaded already: this returns its descriptor
    auto type = program_type(alt.type);
    if (type && bpf->load_func(a.function, *type, program).ok() && program >= 0)
      a.program = indexes.index(program);
    manifest.attachments.push_back(a);
  }
  if (!attach_output.empty())
    manifest.compiler_output =
        capped(output + cleaned_output(attach_output, request.policy, request.origin));

  for (const std::string& name : request.maps) {
    int fd = bpf->get_table(name).get_fd();
    if (fd >= 0) manifest.maps.push_back({name, indexes.index(fd)});
  }
  manifest.tracefs_events = tracefs_events();
  return manifest;
}

}  // namespace bcc::loader
