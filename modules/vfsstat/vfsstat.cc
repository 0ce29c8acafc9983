// vfsstat: calls of the VFS functions behind read(), write(), fsync(),
// open() and file creation, as pmdabpf's vfsstat module counts them (bcc's
// vfsstat tool). No tracepoint lies in these functions: each is a kprobe,
// counted in its slot of the shared hit counter program (hit_counter.bpf).
// On a kernel without kprobes the module fails, naming them; where one
// function is missing, its counter alone has no values.
#include <string>
#include <vector>

#include "module/hit_counters.h"
#include "module/registry.h"

namespace {

using namespace bcc;

struct Counted {
  const char* name;      // the probe and the metric's last part
  const char* function;  // the kernel function
  const char* oneline;
  const char* help;
};

const Counted kCounted[] = {
    {"read", "vfs_read", "Count of read() calls",
     "Calls of vfs_read(), which read(2) and pread64(2) and the kernel's own reads of files "
     "go through, since the module started."},
    {"write", "vfs_write", "Count of write() calls",
     "Calls of vfs_write(), which write(2) and pwrite64(2) and the kernel's own writes to "
     "files go through, since the module started."},
    {"fsync", "vfs_fsync", "Count of fsync() calls",
     "Calls of vfs_fsync(), behind fsync(2) and fdatasync(2), since the module started."},
    {"open", "vfs_open", "Count of open() calls",
     "Calls of vfs_open(): files opened (open(2) and the kernel's own opens) once the path "
     "was resolved, since the module started."},
    {"create", "vfs_create", "Count of create() calls",
     "Calls of vfs_create(), since the module started: mknod(2) of regular files and "
     "stacked file systems (overlayfs, nfsd); open(2) with O_CREAT does not call it."},
};
constexpr size_t kSlots = sizeof(kCounted) / sizeof(kCounted[0]);

std::vector<std::string> slot_defines(const ModuleOptions&) { return hit_counter_defines(kSlots); }

ModuleSpec vfsstat() {
  ModuleSpec spec = ModuleSpec("vfsstat")
                        .summary("VFS calls: read, write, fsync, open, create")
                        .program("hit_counter.bpf")
                        .process_filter()
                        .defines_from(slot_defines);
  for (size_t i = 0; i < kSlots; i++) {
    const Counted& c = kCounted[i];
    ProbeAlternative probe = kprobe(c.function);
    probe.function = hit_function(i);
    spec.optional_probe(c.name, {probe});
    MetricSpec m = hit_total(std::string("vfsstat.") + c.name, i, c.oneline,
                             std::string(c.help) + " Needs kprobes.");
    m.needs_probes = {c.name};
    spec.metric(m);
  }
  return spec;
}

const bool registered = register_module("vfsstat", vfsstat);

}  // namespace
