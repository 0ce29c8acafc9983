#include "bpf/program.h"

#include <bcc/BPF.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <stdexcept>

#include "bpf/compile_errors.h"
#include "config/trusted_file.h"

namespace bcc {

namespace {

// Collects what libbcc and clang print on stderr while it is alive, so that
// a compile error can be reported in the module's status, then echoes it to
// the log (stderr) as before.
class StderrCapture {
 public:
  StderrCapture() {
    fflush(stderr);
    saved_ = dup(STDERR_FILENO);
    memfd_ = memfd_create("bcc-compile-log", MFD_CLOEXEC);
    if (saved_ >= 0 && memfd_ >= 0) dup2(memfd_, STDERR_FILENO);
  }
  ~StderrCapture() { finish(); }

  std::string finish() {
    if (saved_ < 0) return text_;
    fflush(stderr);
    dup2(saved_, STDERR_FILENO);
    close(saved_);
    saved_ = -1;
    if (memfd_ >= 0) {
      off_t size = lseek(memfd_, 0, SEEK_END);
      text_.resize(size > 0 ? static_cast<size_t>(size) : 0);
      if (pread(memfd_, text_.data(), text_.size(), 0) < 0) text_.clear();
      close(memfd_);
      std::string kept = without_noise(text_);
      if (!kept.empty() && write(STDERR_FILENO, kept.data(), kept.size()) < 0) {
      }
    }
    return text_;
  }

  // libbcc's complaints on kernels without AF_ALG: it cannot hash programs
  // for its tag cache. Harmless, and they would fill the log.
  static std::string without_noise(const std::string& text) {
    std::istringstream in(text);
    std::string line, out;
    while (std::getline(in, line))
      if (line.find("sha1 socket not available") == std::string::npos &&
          line.find("cannot get prog tag") == std::string::npos)
        out += line + "\n";
    return out;
  }

 private:
  int saved_ = -1;
  int memfd_ = -1;
  std::string text_;
};

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

}  // namespace

Program::Program() : bpf_(std::make_unique<ebpf::BPF>()) {}

// ebpf::BPF's destructor detaches every probe (a second detach_all would
// try to close the same descriptors again).
Program::~Program() = default;

// One compile or attach at a time in the whole agent: programs registered at
// run time compile on threads of their own, and StderrCapture redirects the
// process's one stderr.
static std::mutex& compiler_lock() {
  static std::mutex lock;
  return lock;
}

std::string Program::compile(const std::string& source, const std::vector<std::string>& defines,
                             const std::vector<ProbeAlternative>& usdt_probes) {
  std::lock_guard<std::mutex> one_at_a_time(compiler_lock());
  std::vector<std::string> cflags;
  for (const std::string& d : defines) cflags.push_back("-D" + d);
  std::vector<ebpf::USDT> usdts;
  for (const ProbeAlternative& alt : usdt_probes) usdts.push_back(usdt_of(alt));
  StderrCapture capture;
  ebpf::StatusTuple st = bpf_->init(source, cflags, usdts);
  std::string output = capture.finish();
  if (st.ok()) return "";
  std::string errors = compile_errors(output, source);
  return errors.empty() ? status_text(st) : errors;
}

std::string Program::attach(const ProbeAlternative& alt) {
  std::lock_guard<std::mutex> one_at_a_time(compiler_lock());
  StderrCapture capture;  // loading prints libbcc's noise
  std::string fn = alt.function_name();
  ebpf::StatusTuple st(0);
  switch (alt.type) {
    case ProbeType::tracepoint: st = bpf_->attach_tracepoint(alt.target, fn); break;
    case ProbeType::raw_tracepoint: st = bpf_->attach_raw_tracepoint(alt.target, fn); break;
    case ProbeType::kprobe: st = bpf_->attach_kprobe(alt.target, fn); break;
    case ProbeType::kretprobe:
      st = bpf_->attach_kprobe(alt.target, fn, 0, BPF_PROBE_RETURN);
      break;
    case ProbeType::uprobe:
      st = bpf_->attach_uprobe(alt.binary(), alt.symbol(), fn, 0, BPF_PROBE_ENTRY, alt.pid);
      break;
    case ProbeType::uretprobe:
      st = bpf_->attach_uprobe(alt.binary(), alt.symbol(), fn, 0, BPF_PROBE_RETURN, alt.pid);
      break;
    case ProbeType::usdt: st = bpf_->attach_usdt(usdt_of(alt), alt.pid); break;
    case ProbeType::perf_event: {
      auto id = perf_event_id(alt.target);
      if (!id) return "unknown perf event " + alt.target;
      st = bpf_->attach_perf_event(id->type, id->config, fn, alt.sampling.period,
                                   alt.sampling.frequency, -1, alt.sampling.cpu);
      break;
    }
  }
  return st.ok() ? "" : status_text(st);
}

void Program::free_compiler_memory() { bpf_->free_bcc_memory(); }

int Program::function_fd(const ProbeAlternative& alt) {
  static const std::map<ProbeType, bpf_prog_type> types{
      {ProbeType::tracepoint, BPF_PROG_TYPE_TRACEPOINT},
      {ProbeType::raw_tracepoint, BPF_PROG_TYPE_RAW_TRACEPOINT},
      {ProbeType::kprobe, BPF_PROG_TYPE_KPROBE},
      {ProbeType::kretprobe, BPF_PROG_TYPE_KPROBE},
      {ProbeType::uprobe, BPF_PROG_TYPE_KPROBE},
      {ProbeType::uretprobe, BPF_PROG_TYPE_KPROBE},
      {ProbeType::usdt, BPF_PROG_TYPE_KPROBE},
      {ProbeType::perf_event, BPF_PROG_TYPE_PERF_EVENT}};
  int fd = -1;
  // an attached function is loaded already: this returns its descriptor
  auto it = types.find(alt.type);
  if (it == types.end() || !bpf_->load_func(alt.function_name(), it->second, fd).ok()) return -1;
  return fd;
}

int Program::map_fd(const std::string& name) { return bpf_->get_table(name).get_fd(); }


std::string read_program_file(const std::string& path) {
  std::string untrusted = config::untrusted_reason(path);
  if (!untrusted.empty()) throw std::runtime_error(untrusted);
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read BPF program " + path + ": " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace bcc
