// bioperpid: block I/O bytes per disk and process ("vda::000441").
#include <cstddef>
#include <cstdio>
#include <memory>

#include "bioperpid.h"
#include "bpf/tables.h"
#include "module/exited_processes.h"
#include "module/metrics.h"
#include "module/registry.h"
#include "system/block_devices.h"

namespace {

// of a key of io_bytes (struct bioperpid_disk_pid)
uint64_t dev_of(const std::string& key) {
  return bcc::field<uint64_t>(key, offsetof(bioperpid_disk_pid, dev));
}
int pid_of(const std::string& key) {
  return static_cast<int>(bcc::field<uint64_t>(key, offsetof(bioperpid_disk_pid, pid)));
}

bcc::ModuleSpec bioperpid() {
  using namespace bcc;
  auto disks = std::make_shared<DiskNames>();
  auto instance = [disks](const std::string& key) -> std::string {
    uint64_t dev = dev_of(key);
    if (kernel_dev_major(dev) == 0) return "";  // no block device behind it
    std::string disk = disks->name(kernel_dev_major(dev), kernel_dev_minor(dev));
    if (disk.empty()) return "";
    char pid[16];
    std::snprintf(pid, sizeof(pid), "%06d", pid_of(key));
    return disk + "::" + pid;
  };
  ModuleSpec spec("bioperpid");
  auto exited = keep_exited_processes(
      spec, {{"io_bytes", pid_in_key(offsetof(bioperpid_disk_pid, pid),
                                     sizeof(bioperpid_disk_pid::pid))}});
  spec.summary("block I/O bytes per disk and process")
      .program("bioperpid.bpf")
      .probe("start", {tracepoint("block:block_io_start"), tracepoint("block:block_bio_queue")})
      .probe("done", {raw_tracepoint("block_rq_complete"), tracepoint("block:block_rq_complete")})
      .metric(hash_counter(
          "proc.io.total", "io_bytes", byte_units(), instance, "device io per pid",
          "Bytes of block I/O completed since the module started, per disk and process "
          "(the process that submitted each request). Instances are \"DISK::PID\" with the "
          "pid in six digits at least (\"vda::000441\"); a process that has exited keeps "
          "its final totals for 'exited_grace' seconds (5 minutes by default), then is "
          "dropped.",
          exited))
      .instances_help("disk and process, \"DISK::PID\" (\"vda::000441\")");
  return spec;
}

const bool registered = bcc::register_module("bioperpid", bioperpid);

}  // namespace
