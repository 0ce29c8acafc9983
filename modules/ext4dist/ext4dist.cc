// fs.ext4dist: ext4 open, read, write and fsync latency, as BCC's ext4dist
// tool measures it; fsync also through ext4's own tracepoints.
#include "module/fs_latency.h"
#include "module/registry.h"

namespace {

bcc::ModuleSpec ext4dist() {
  using namespace bcc;
  return fs_latency_module(
      "fs.ext4dist", "ext4",
      {{"open", {kprobe("ext4_file_open")}, {kretprobe("ext4_file_open")}},
       {"read", {kprobe("ext4_file_read_iter")}, {kretprobe("ext4_file_read_iter")}},
       {"write", {kprobe("ext4_file_write_iter")}, {kretprobe("ext4_file_write_iter")}},
       {"fsync",
        {tracepoint("ext4:ext4_sync_file_enter"), kprobe("ext4_sync_file")},
        {tracepoint("ext4:ext4_sync_file_exit"), kretprobe("ext4_sync_file")}}});
}

const bool registered = bcc::register_module("fs.ext4dist", ext4dist);

}  // namespace
