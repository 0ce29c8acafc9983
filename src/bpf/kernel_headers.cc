#include "bpf/kernel_headers.h"

#include <sys/stat.h>
#include <sys/utsname.h>

#include <fstream>

namespace bcc {

namespace {

bool exists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

std::string release() {
  struct utsname u;
  return uname(&u) == 0 ? u.release : "";
}

const char kKernelHeadersArchive[] = "/sys/kernel/kheaders.tar.xz";

std::string btf_description() {
  return std::string("the running kernel's BTF (") + kKernelBtf + ")";
}

}  // namespace

std::string installed_headers_problem() {
  std::string build = "/lib/modules/" + release() + "/build";
  if (!exists(build) && !exists("/lib/modules/" + release() + "/source"))
    return "no kernel headers at " + build;
  std::ifstream in(build + "/include/generated/utsrelease.h");
  std::string line;
  std::getline(in, line);
  size_t q = line.find('"');
  std::string headers = q == std::string::npos ? "" : line.substr(q + 1, line.rfind('"') - q - 1);
  if (headers.empty()) return "";
  if (headers != release())
    return "kernel headers at " + build + " are for " + headers + ", the running kernel is " +
           release();
  return "";
}

HeaderSource choose_kernel_headers(KernelHeaders mode) {
  HeaderSource out;
  bool have_btf = exists(kKernelBtf);
  std::string installed = "/lib/modules/" + release() + "/build";
  if (mode == KernelHeaders::btf) {
    out.btf = true;
    out.description = btf_description();
    if (!have_btf)
      out.problem = std::string("[pmda] kernel_headers = btf, but the running kernel has no BTF (") +
                    kKernelBtf + "); set kernel_headers = installed and install its headers";
    out.compiles = have_btf;
    return out;
  }
  std::string problem = installed_headers_problem();
  if (mode == KernelHeaders::automatic && !problem.empty() && have_btf) {
    out.btf = true;
    out.description = btf_description() + " (installed headers: " + problem + ")";
    return out;
  }
  out.description = "the installed kernel headers (" + installed + ")";
  if (!problem.empty()) {
    out.problem = problem;
    if (problem.compare(0, 3, "no ") != 0)
      out.problem += ": programs read tracepoint fields from tracefs and struct offsets from BTF, "
                     "never from these headers";
    else if (exists(kKernelHeadersArchive))  // libbcc's last resort: CONFIG_IKHEADERS
      out.problem += std::string(": libbcc unpacks the running kernel's own from ") +
                     kKernelHeadersArchive;
    else {
      out.compiles = false;
      out.problem += have_btf ? ": BPF programs cannot be compiled (set [pmda] kernel_headers = "
                                "auto or btf to compile against the running kernel's BTF)"
                              : ": BPF programs cannot be compiled (install linux-headers and "
                                "link them there)";
    }
    out.description += " (" + problem + ")";
  }
  return out;
}

}  // namespace bcc
