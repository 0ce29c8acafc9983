#include <gtest/gtest.h>

#include "config/ini.h"
#include "io_top.h"

using namespace bcc;

namespace {

IoTotals row(uint32_t pid, uint64_t bytes, uint64_t io, uint64_t us, bool write = false) {
  IoTotals t;
  t.pid = pid;
  t.bytes = bytes;
  t.io = io;
  t.microseconds = us;
  t.write = write;
  return t;
}

std::vector<uint32_t> pids(const std::vector<IoTotals>& rows) {
  std::vector<uint32_t> out;
  for (const IoTotals& r : rows) out.push_back(r.pid);
  return out;
}

const std::vector<IoTotals> kRows{row(1, 100, 5, 50), row(2, 300, 1, 90, true),
                                  row(3, 200, 9, 9), row(0, 999, 1, 1)};

TEST(IoTop, DefaultIsMostBytesFirstWithoutResidual) {
  IoSort sort = parse_io_sort("-bytes");
  EXPECT_EQ(pids(rank_io(kRows, sort, 20, false)), (std::vector<uint32_t>{2, 3, 1}));
  EXPECT_EQ(pids(rank_io(kRows, sort, 20, true)), (std::vector<uint32_t>{0, 2, 3, 1}));
}

TEST(IoTop, OtherKeysAndDirections) {
  EXPECT_EQ(pids(rank_io(kRows, parse_io_sort("io"), 20, false)),
            (std::vector<uint32_t>{2, 1, 3}));
  // average duration: 10, 90, 1 microseconds
  EXPECT_EQ(pids(rank_io(kRows, parse_io_sort("-duration"), 20, false)),
            (std::vector<uint32_t>{2, 1, 3}));
  EXPECT_EQ(pids(rank_io(kRows, parse_io_sort("-rw"), 20, false)).front(), 2u);
}

TEST(IoTop, CutToProcessCount) {
  EXPECT_EQ(rank_io(kRows, parse_io_sort("bytes"), 2, true).size(), 2u);
}

TEST(IoTop, BadSortKeyIsAConfigError) {
  EXPECT_THROW(parse_io_sort("size"), config::ConfigError);
  EXPECT_THROW(parse_io_sort("-"), config::ConfigError);
}

}  // namespace
