// fs.zfsdist: ZFS (OpenZFS's zpl_* layer) open, read, write and fsync
// latency, as BCC's zfsdist tool measures it (kprobes only).
#include "module/fs_latency.h"
#include "module/registry.h"

namespace {

bcc::ModuleSpec zfsdist() {
  using namespace bcc;
  return fs_latency_module(
      "fs.zfsdist", "zfs",
      {{"open", {kprobe("zpl_open")}, {kretprobe("zpl_open")}},
       {"read",
        {kprobe("zpl_iter_read"), kprobe("zpl_aio_read"), kprobe("zpl_read")},
        {kretprobe("zpl_iter_read"), kretprobe("zpl_aio_read"), kretprobe("zpl_read")}},
       {"write",
        {kprobe("zpl_iter_write"), kprobe("zpl_aio_write"), kprobe("zpl_write")},
        {kretprobe("zpl_iter_write"), kretprobe("zpl_aio_write"), kretprobe("zpl_write")}},
       {"fsync", {kprobe("zpl_fsync")}, {kretprobe("zpl_fsync")}}});
}

const bool registered = bcc::register_module("fs.zfsdist", zfsdist);

}  // namespace
