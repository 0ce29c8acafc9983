// biotop on fake maps: the proc.io.perdev.* columns of each process, disk
// and direction from the `counts` hash (struct top_key { u64 dev; u32 pid;
// u32 write; char comm[16]; u64 epoch; } -> struct top_value { u64 bytes;
// u64 us; u64 io; }), instances "0".."N-1" most bytes first, disk names from
// sysfs ("?" when unknown), pid 0 only with include_residual, average
// duration us / io; with interval = 0 the map taken and cleared at each
// fetch, with an interval the last complete one shown (the key's epoch) and
// older ones deleted; and a comm with spaces, a newline and control
// characters.

#include <fstream>

#include "bpf/tables.h"
#include "map_bytes.h"
#include "module_harness.h"
#include "some_disk.h"

using namespace bcc;
using bcc::testing::Disk;
using bcc::testing::ModuleHarness;
using bcc::testing::put;
using bcc::testing::some_disk;
using bcc::testing::u64s;

namespace {

MapEntry io(unsigned major, unsigned minor, uint32_t pid, bool write, const std::string& comm,
            uint64_t bytes, uint64_t us, uint64_t count, uint64_t epoch = 0) {
  std::string key(40, '\0');
  put(key, 0, (uint64_t{major} << 20) | minor);
  put(key, 8, pid);
  put(key, 12, uint32_t{write});
  key.replace(16, comm.size(), comm);
  put(key, 32, epoch);
  return {key, u64s({bytes, us, count})};
}

ModuleHarness& shaped(ModuleHarness& h) {
  h.maps.shapes["counts"] = {BPF_MAP_TYPE_LRU_HASH, 40, 24, 10240};
  return h;
}

template <typename T>
std::vector<T> column(std::map<std::string, std::vector<Sample>>& values, const std::string& c) {
  std::vector<T> out;
  const auto& samples = values["proc.io.perdev." + c];
  for (size_t i = 0; i < samples.size(); i++) {
    EXPECT_EQ(samples[i].instance, std::to_string(i)) << c;
    out.push_back(std::get<T>(samples[i].value));
  }
  return out;
}

using U = std::vector<uint64_t>;
using S = std::vector<std::string>;

TEST(Biotop, EachProcessDiskAndDirectionMostBytesFirst) {
  Disk disk = some_disk();
  if (disk.name.empty()) GTEST_SKIP() << "no block device in /sys/dev/block";
  ModuleHarness h("biotop", "interval = 0\n");
  shaped(h);
  h.maps.contents["counts"] = {
      io(disk.major, disk.minor, 4242, true, "dd", 8192, 900, 3),
      io(4095, 1048575, 77, false, "postgres", 1 << 20, 5000, 10),
      io(disk.major, disk.minor, 4242, false, "dd", 512, 40, 1),
      io(disk.major, disk.minor, 0, true, "", 1 << 30, 1, 1),  // submitter not seen
      io(disk.major, disk.minor, 99, true, "idle", 4096, 0, 0),  // no request done
  };
  auto v = h.fetch();
  EXPECT_EQ(column<uint64_t>(v, "pid"), (U{77, 4242, 4242}));
  EXPECT_EQ(column<std::string>(v, "comm"), (S{"postgres", "dd", "dd"}));
  EXPECT_EQ(column<std::string>(v, "direction"), (S{"R", "W", "R"}));
  EXPECT_EQ(column<uint64_t>(v, "major"), (U{4095, disk.major, disk.major}));
  EXPECT_EQ(column<uint64_t>(v, "minor"), (U{1048575, disk.minor, disk.minor}));
  EXPECT_EQ(column<std::string>(v, "disk"), (S{"?", disk.name, disk.name}));
  EXPECT_EQ(column<uint64_t>(v, "io"), (U{10, 3, 1}));
  EXPECT_EQ(column<uint64_t>(v, "bytes"), (U{1 << 20, 8192, 512}));
  EXPECT_EQ(column<uint64_t>(v, "duration"), (U{500, 300, 40}));
  EXPECT_TRUE(h.maps.contents["counts"].empty());  // taken for the next interval
  EXPECT_TRUE(h.fetch()["proc.io.perdev.pid"].empty());
}

TEST(Biotop, IntervalZeroShowsWhatCameSinceThePreviousFetch) {
  ModuleHarness h("biotop", "interval = 0\n");
  shaped(h);
  h.maps.contents["counts"] = {io(4095, 1, 10, true, "first", 100, 100, 1)};
  auto first = h.fetch();
  EXPECT_EQ(column<uint64_t>(first, "pid"), (U{10}));
  h.maps.contents["counts"].push_back(io(4095, 1, 11, true, "second", 100, 100, 1));
  auto v = h.fetch();
  EXPECT_EQ(column<uint64_t>(v, "pid"), (U{11}));
  EXPECT_EQ(column<std::string>(v, "comm"), (S{"second"}));
  EXPECT_TRUE(h.maps.contents["counts"].empty());
}

TEST(Biotop, WithAnIntervalOnlyTheLastCompleteOneAndOlderOnesDeleted) {
  ModuleHarness h("biotop", "interval = 1\n");
  shaped(h);
  auto v = h.fetch_in_one_interval(1, [&](uint64_t current) {
    h.maps.contents["counts"] = {
        io(4095, 1, 10, true, "running", 1000, 10, 1, current),
        io(4095, 1, 11, true, "complete", 2000, 10, 1, current - 1),
        io(4095, 1, 12, false, "complete", 500, 10, 1, current - 1),
        io(4095, 1, 13, true, "older", 3000, 10, 1, current - 2),
        io(4095, 1, 14, true, "oldest", 4000, 10, 1, current - 50),
    };
  });
  EXPECT_EQ(column<uint64_t>(v, "pid"), (U{11, 12}));
  EXPECT_EQ(column<uint64_t>(v, "bytes"), (U{2000, 500}));
  // the running interval and the complete one stay; the older ones are deleted
  U left;
  for (const MapEntry& e : h.maps.contents["counts"]) left.push_back(field<uint32_t>(e.key, 8));
  EXPECT_EQ(left, (U{10, 11, 12}));
}

TEST(Biotop, ResidualSortAndCount) {
  ModuleHarness h("biotop", "interval = 0\ninclude_residual = 1\nsort = io\nprocess_count = 2\n");
  shaped(h);
  h.maps.contents["counts"] = {
      io(4095, 1, 10, true, "many", 100, 100, 50),
      io(4095, 1, 0, false, "", 100, 100, 2),
      io(4095, 1, 11, false, "few", 100, 100, 5),
  };
  auto v = h.fetch();
  EXPECT_EQ(column<uint64_t>(v, "pid"), (U{0, 11}));  // ascending io
  EXPECT_EQ(column<std::string>(v, "comm"), (S{"", "few"}));
  EXPECT_EQ(column<uint64_t>(v, "duration"), (U{50, 20}));
}

TEST(Biotop, CommandNameWithSpacesNewlineAndControlCharacters) {
  const std::string weird = "my app\n\x01\x1b[31m\t";  // 15 bytes, as the kernel copies it
  for (const char* keys : {"interval = 0\n", "interval = 1\n"}) {
    ModuleHarness h("biotop", keys);
    shaped(h);
    bool per_interval = h.options().number("interval") != 0;
    auto fetch_one = [&](const std::string& comm) {
      return h.fetch_in_one_interval(1, [&](uint64_t current) {
        h.maps.contents["counts"] = {
            io(4095, 2, 123, false, comm, 4096, 10, 1, per_interval ? current - 1 : 0)};
      });
    };
    // Today: the bytes up to the first NUL, unchanged (control characters included).
    auto v = fetch_one(weird);
    EXPECT_EQ(column<std::string>(v, "comm"), (S{weird})) << keys;
    // Full 16 bytes without a NUL: all 16 kept, the epoch after them untouched.
    v = fetch_one("0123456789abcdef");
    EXPECT_EQ(column<std::string>(v, "comm"), (S{"0123456789abcdef"})) << keys;
  }
}

}  // namespace
