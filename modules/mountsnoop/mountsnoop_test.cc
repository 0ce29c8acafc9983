// mountsnoop on fake maps: each record the program sends through its
// `events` perf buffer becomes a row, newest first; each call's arguments
// land in the columns pmdabpf has, and the call is written out as C; paths
// and names are passed on raw.
#include <cstring>

#include "event_rows.h"
#include "module_harness.h"
#include "mountsnoop.h"

using namespace bcc;
using namespace bcc::testing;

namespace {

mountsnoop_event call(uint32_t op, int32_t ret) {
  mountsnoop_event e{};
  e.op = op;
  e.ret = ret;
  e.pid = 10;
  e.tid = 11;
  e.mnt_ns = 4026531841u;
  e.delta_ns = 1500;
  std::strcpy(e.comm, "mount");
  return e;
}

std::string text(FetchedValues& values, const std::string& column, size_t row) {
  return row_value<std::string>(values, "mountsnoop." + column, row);
}

TEST(Mountsnoop, MountAndUmountRowsNewestFirst) {
  ModuleHarness h("mountsnoop");
  mountsnoop_event m = call(MOUNTSNOOP_MOUNT, 0);
  m.flags = 0x3;  // MS_RDONLY | MS_NOSUID
  std::strcpy(m.fs, "tmpfs");
  std::strcpy(m.source, "none\x01");
  std::strcpy(m.target, "/tmp/a b\nc");
  std::strcpy(m.data, "size=1m");
  send_record(h, m);
  mountsnoop_event u = call(MOUNTSNOOP_UMOUNT, -16);  // EBUSY
  u.flags = 2;                                        // MNT_DETACH
  std::strcpy(u.target, "/tmp/a b\nc");
  u.delta_ns = uint64_t{5} << 32;  // beyond the 32-bit descriptor
  send_record(h, u);
  auto values = h.fetch();
  EXPECT_EQ(text(values, "op", 0), "UMOUNT");
  EXPECT_EQ(text(values, "ret", 0), "-EBUSY");
  EXPECT_EQ(text(values, "flags", 0), "MNT_DETACH");
  EXPECT_EQ(text(values, "target", 0), "/tmp/a b\nc");
  EXPECT_EQ(text(values, "source", 0), "");
  EXPECT_EQ(text(values, "call", 0), "umount(\"/tmp/a b\nc\", MNT_DETACH) = -EBUSY");
  EXPECT_EQ(row_value<int64_t>(values, "mountsnoop.lat", 0), INT32_MAX);
  EXPECT_EQ(text(values, "op", 1), "MOUNT");
  EXPECT_EQ(text(values, "ret", 1), "0");
  EXPECT_EQ(text(values, "fs", 1), "tmpfs");
  EXPECT_EQ(text(values, "source", 1), "none\x01");
  EXPECT_EQ(text(values, "target", 1), "/tmp/a b\nc");
  EXPECT_EQ(text(values, "data", 1), "size=1m");
  EXPECT_EQ(text(values, "flags", 1), "MS_RDONLY | MS_NOSUID");
  EXPECT_EQ(text(values, "call", 1),
            "mount(\"none\x01\", \"/tmp/a b\nc\", \"tmpfs\", MS_RDONLY | MS_NOSUID, "
            "\"size=1m\") = 0");
  EXPECT_EQ(text(values, "comm", 1), "mount");
  EXPECT_EQ(row_value<int64_t>(values, "mountsnoop.lat", 1), 1500);
  EXPECT_EQ(row_value<uint64_t>(values, "mountsnoop.pid", 1), 10u);
  EXPECT_EQ(row_value<uint64_t>(values, "mountsnoop.tid", 1), 11u);
  EXPECT_EQ(row_value<uint64_t>(values, "mountsnoop.mnt_ns", 1), 4026531841u);
}

TEST(Mountsnoop, NewMountApiCalls) {
  ModuleHarness h("mountsnoop");
  mountsnoop_event open = call(MOUNTSNOOP_FSOPEN, 3);
  std::strcpy(open.fs, "ext4");
  open.flags = 1;
  mountsnoop_event config = call(MOUNTSNOOP_FSCONFIG, -22);  // EINVAL
  config.fd = 3;
  config.cmd = 1;
  std::strcpy(config.source, "source");
  std::strcpy(config.data, "/dev/sda1");
  mountsnoop_event fsmount = call(MOUNTSNOOP_FSMOUNT, 4);
  fsmount.fd = 3;
  fsmount.cmd = 0x1;
  mountsnoop_event move = call(MOUNTSNOOP_MOVE_MOUNT, 0);
  move.fd = 4;
  move.to_fd = -100;
  std::strcpy(move.source, "");
  std::strcpy(move.target, "/mnt");
  move.flags = 4;
  for (const auto& e : {open, config, fsmount, move}) send_record(h, e);
  auto values = h.fetch();
  EXPECT_EQ(text(values, "call", 3), "fsopen(\"ext4\", 0x1) = 3");
  EXPECT_EQ(text(values, "fs", 3), "ext4");
  EXPECT_EQ(text(values, "op", 2), "FSCONFIG");
  EXPECT_EQ(text(values, "call", 2), "fsconfig(3, 1, \"source\", \"/dev/sda1\", 0) = -EINVAL");
  EXPECT_EQ(text(values, "source", 2), "");  // a key, not a source
  EXPECT_EQ(text(values, "data", 2), "");
  EXPECT_EQ(text(values, "call", 1), "fsmount(3, 0x0, 0x1) = 4");
  EXPECT_EQ(text(values, "ret", 1), "4");
  EXPECT_EQ(text(values, "op", 0), "MOVE_MOUNT");
  EXPECT_EQ(text(values, "target", 0), "/mnt");
  EXPECT_EQ(text(values, "call", 0), "move_mount(4, \"\", -100, \"/mnt\", 0x4) = 0");
}

TEST(Mountsnoop, UnknownFlagBitsAndErrnosAreNumbers) {
  ModuleHarness h("mountsnoop");
  mountsnoop_event e = call(MOUNTSNOOP_UMOUNT, -4095);
  e.flags = 0x10;
  send_record(h, e);
  h.spec().perf_buffers().at(0).on_lost(1);
  auto values = h.fetch();
  EXPECT_EQ(text(values, "flags", 0), "0x10");
  EXPECT_EQ(text(values, "ret", 0), "-4095");
  EXPECT_EQ(fetched_counter(h, "mountsnoop.lost"), 1u);
}

}  // namespace
