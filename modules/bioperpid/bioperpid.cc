// bioperpid: block I/O bytes per disk and process ("vda::000441").
#include <cstdio>
#include <memory>

#include "bpf/tables.h"
#include "module/exited_processes.h"
#include "module/metrics.h"
#include "module/registry.h"
#include "system/block_devices.h"

namespace {

// Key layout of io_bytes in bioperpid.bpf: u64 dev, u64 pid.
uint64_t dev_of(const std::string& key) { return bcc::field<uint64_t>(key, 0); }
int pid_of(const std::string& key) { return static_cast<int>(bcc::field<uint64_t>(key, 8)); }

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
  auto exited = keep_exited_processes(spec, {{"io_bytes", pid_in_key(8, 8)}});
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
