// A module's perf buffers: no thread without one; a buffer the program
// lacks is an error naming it; lost events start at zero.
#include "module/event_pump.h"

#include <gtest/gtest.h>

#include <memory>

#include "bpf/tables.h"
#include "module/collector.h"
#include "support/test_maps.h"

using namespace bcc;
using bcc::testing::TestMaps;

namespace {

TEST(EventPump, WithoutBuffersNoThreadRuns) {
  ModuleOptions options(std::vector<OptionSpec>{});
  std::vector<std::string> lines;
  EventPump pump([&](int, const std::string& line) { lines.push_back(line); });
  TestMaps maps;  // none created
  EXPECT_EQ(pump.start(maps, {}, options), "");
  EXPECT_FALSE(pump.draining());
  EXPECT_EQ(pump.lost_events(), 0u);
  pump.stop();
  EXPECT_TRUE(lines.empty());
}

TEST(EventPump, ABufferTheProgramLacksIsAnErrorNamingIt) {
  ModuleSpec spec("test");
  spec.events("events").collector(std::make_shared<Collector>());
  ModuleOptions options(spec.options());
  EventPump pump([](int, const std::string&) {});
  TestMaps maps;  // none created
  EXPECT_EQ(pump.start(maps, spec.perf_buffers(), options),
            "perf buffer 'events': no map 'events'");
  EXPECT_FALSE(pump.draining());
  pump.stop();
}

TEST(EventPump, ABufferIsDrainedByAThreadOfItsOwnUntilStopped) {
  ModuleSpec spec("test");
  spec.events("events", "pages")
      .collector(std::make_shared<Collector>())
      .option(number_option("pages", 2, "pages per CPU"));
  ModuleOptions options(spec.options());
  TestMaps maps;
  CREATE_OR_SKIP(maps, "events", BPF_MAP_TYPE_PERF_EVENT_ARRAY, 4, 4,
                 static_cast<uint32_t>(possible_cpus()));
  EventPump pump([](int, const std::string&) {});
  ASSERT_EQ(pump.start(maps, spec.perf_buffers(), options), "");
  EXPECT_TRUE(pump.draining());
  pump.stop();
  EXPECT_FALSE(pump.draining());
  pump.stop();  // twice: nothing left to stop
  // started again on the same program, as a re-armed module is
  ASSERT_EQ(pump.start(maps, spec.perf_buffers(), options), "");
  EXPECT_TRUE(pump.draining());
}

}  // namespace
