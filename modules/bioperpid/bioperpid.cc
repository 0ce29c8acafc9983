// bioperpid: block I/O bytes per disk and process ("vda::000441").
#include <cstddef>
#include <cstdio>
#include <memory>

#include "bioperpid.h"
#include "bpf/tables.h"
#include "module/process_counters.h"
#include "module/registry.h"
#include "system/block_devices.h"

namespace {

using namespace bcc;

// of a key of io_bytes (struct bioperpid_disk_pid)
uint64_t dev_of(const std::string& key) {
  return field<uint64_t>(key, offsetof(bioperpid_disk_pid, dev));
}
int pid_of(const std::string& key) {
  return static_cast<int>(field<uint64_t>(key, offsetof(bioperpid_disk_pid, pid)));
}

// Names each key "DISK::PID" from the disks sysfs knows.
class BytesByDiskAndProcess : public ProcessCounters {
 public:
  BytesByDiskAndProcess() {
    table("io_bytes",
          pid_in_key(offsetof(bioperpid_disk_pid, pid), sizeof(bioperpid_disk_pid::pid)));
  }

 protected:
  std::string instance(const std::string&, const std::string& key) override {
    uint64_t dev = dev_of(key);
    if (kernel_dev_major(dev) == 0) return "";  // no block device behind it
    std::string disk = disks_.name(kernel_dev_major(dev), kernel_dev_minor(dev));
    if (disk.empty()) return "";
    char pid[16];
    std::snprintf(pid, sizeof(pid), "%06d", pid_of(key));
    return disk + "::" + pid;
  }

 private:
  DiskNames disks_;
};

ModuleSpec bioperpid() {
  auto counters = std::make_shared<BytesByDiskAndProcess>();
  ModuleSpec spec("bioperpid");
  spec.option(exited_grace_option())
      .summary("block I/O bytes per disk and process")
      .program("bioperpid.bpf")
      .probe("start", {tracepoint("block:block_io_start"), tracepoint("block:block_bio_queue")})
      .optional_probe("front_merge", {tracepoint("block:block_bio_frontmerge")})
      .probe("done", {raw_tracepoint("block_rq_complete"), tracepoint("block:block_rq_complete")})
      .metric(counters->summed_counter(
          make_metric(
              "proc.io.total", PM_TYPE_U64, PM_SEM_COUNTER, byte_units(), "device io per pid",
              "Bytes of block I/O completed since the module started, per disk and process "
              "(the process that submitted each request). Instances are \"DISK::PID\" with the "
              "pid in six digits at least (\"vda::000441\"); a process that has exited keeps "
              "its final totals for 'exited_grace' seconds (5 minutes by default), then is "
              "dropped."),
          "io_bytes"))
      .collector(counters)
      .instances_help("disk and process, \"DISK::PID\" (\"vda::000441\")");
  return spec;
}

const bool registered = register_module("bioperpid", bioperpid);

}  // namespace
