#include "bpf/kernel.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <algorithm>
#include <memory>

#include "bpf/binaries.h"

namespace bcc {

namespace {

bool exists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

// kallsyms also lists compiler-made copies such as "finish_task_switch.isra.0".
bool kernel_has_symbol(const std::string& name) {
  std::ifstream in("/proc/kallsyms");
  std::string addr, type, sym;
  while (in >> addr >> type >> sym) {
    if (sym == name || (sym.size() > name.size() && sym.compare(0, name.size(), name) == 0 &&
                        sym[name.size()] == '.'))
      return true;
    in.ignore(4096, '\n');
  }
  return false;
}

bool any_category_has_event(const std::string& tracefs, const std::string& event) {
  std::unique_ptr<DIR, int (*)(DIR*)> dir(opendir((tracefs + "/events").c_str()), closedir);
  if (!dir) return false;
  while (dirent* d = readdir(dir.get()))
    if (d->d_name[0] != '.' && exists(tracefs + "/events/" + d->d_name + "/" + event + "/id"))
      return true;
  return false;
}

}  // namespace

std::string tracefs_dir() {
  for (const char* dir : {"/sys/kernel/tracing", "/sys/kernel/debug/tracing"})
    if (exists(std::string(dir) + "/events")) return dir;
  return "";
}

RunningKernel::RunningKernel() : tracefs_(tracefs_dir()) {
  // perf's kprobe PMU, or the older text interface: either lets BCC attach kprobes
  kprobes_ = exists("/sys/bus/event_source/devices/kprobe/type") ||
             (!tracefs_.empty() && exists(tracefs_ + "/kprobe_events"));
}

std::string RunningKernel::unavailable(const ProbeAlternative& alt) const {
  switch (alt.type) {
    case ProbeType::tracepoint: {
      if (tracefs_.empty())
        return "tracefs is not mounted (mount -t tracefs nodev /sys/kernel/tracing)";
      size_t colon = alt.target.find(':');
      if (colon == std::string::npos) return "not of the form category:event";
      std::string dir = tracefs_ + "/events/" + alt.target.substr(0, colon) + "/" +
                        alt.target.substr(colon + 1);
      return exists(dir + "/format") ? "" : "no such tracepoint in " + tracefs_ + "/events";
    }
    case ProbeType::raw_tracepoint:
      if (tracefs_.empty()) return "tracefs is not mounted";
      return any_category_has_event(tracefs_, alt.target) ? "" : "no such tracepoint";
    case ProbeType::kprobe:
    case ProbeType::kretprobe:
      if (!kprobes_) return "this kernel has no kprobes (no kprobe PMU, no kprobe_events)";
      return kernel_has_symbol(alt.target) ? "" : "no such kernel function in /proc/kallsyms";
    case ProbeType::uprobe:
    case ProbeType::uretprobe:
    case ProbeType::usdt: {
      if (alt.pid >= 0 && !exists("/proc/" + std::to_string(alt.pid) + "/maps"))
        return "process " + std::to_string(alt.pid) + " is gone";
      if (access(alt.binary().c_str(), R_OK) != 0) return "no such file " + alt.binary();
      if (alt.type != ProbeType::usdt)
        return binary_has_symbol(alt.binary(), alt.symbol()) ? ""
                                                             : "no symbol " + alt.symbol();
      std::string name = alt.symbol();
      size_t colon = name.find(':');
      std::string provider = name.substr(0, colon), probe = name.substr(colon + 1);
      for (const UsdtProbeName& p : usdt_probes_in(alt.binary()))
        if (p.name == probe && (provider.empty() || p.provider == provider)) return "";
      return "no USDT probe " + name + " in " + alt.binary();
    }
    case ProbeType::perf_event: {
      if (!perf_event_id(alt.target)) return "unknown perf event name";
      if (!exists("/proc/sys/kernel/perf_event_paranoid"))
        return "this kernel has no perf events (no /proc/sys/kernel/perf_event_paranoid)";
      // the PMU that serves the event: "software" or, for hardware events, "cpu"
      std::string pmu = alt.target.compare(0, 9, "hardware:") == 0 ? "cpu" : "software";
      return exists("/sys/bus/event_source/devices/" + pmu)
                 ? ""
                 : "no " + pmu + " PMU in /sys/bus/event_source/devices";
    }
  }
  return "unknown probe type";
}

std::vector<std::string> available_tracepoints() {
  std::vector<std::string> out;
  std::string tracefs = tracefs_dir();
  if (tracefs.empty()) return out;
  std::unique_ptr<DIR, int (*)(DIR*)> events(opendir((tracefs + "/events").c_str()), closedir);
  if (!events) return out;
  while (dirent* c = readdir(events.get())) {
    if (c->d_name[0] == '.' || c->d_type != DT_DIR) continue;
    std::string category = c->d_name;
    std::unique_ptr<DIR, int (*)(DIR*)> dir(
        opendir((tracefs + "/events/" + category).c_str()), closedir);
    if (!dir) continue;
    while (dirent* e = readdir(dir.get()))
      if (e->d_name[0] != '.' && e->d_type == DT_DIR) out.push_back(category + ":" + e->d_name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace bcc
