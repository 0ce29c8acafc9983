// fs.xfsdist: XFS open, read, write and fsync latency, as BCC's xfsdist tool
// measures it (kprobes: XFS has no tracepoint pair around these operations).
#include "module/fs_latency.h"
#include "module/registry.h"

namespace {

bcc::ModuleSpec xfsdist() {
  using namespace bcc;
  return fs_latency_module(
      "fs.xfsdist", "xfs",
      {{"open", {kprobe("xfs_file_open")}, {kretprobe("xfs_file_open")}},
       {"read", {kprobe("xfs_file_read_iter")}, {kretprobe("xfs_file_read_iter")}},
       {"write", {kprobe("xfs_file_write_iter")}, {kretprobe("xfs_file_write_iter")}},
       {"fsync", {kprobe("xfs_file_fsync")}, {kretprobe("xfs_file_fsync")}}});
}

const bool registered = bcc::register_module("fs.xfsdist", xfsdist);

}  // namespace
