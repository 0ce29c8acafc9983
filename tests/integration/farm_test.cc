// Many hosts, one pmlogger farm, one pmproxy: two agent hosts of the test's
// own (network and UTS namespaces, each a pmcd with the bcc agent), one
// pmlogger per host writing below pmproxy's archive folder as
// pmlogger_farm lays it out, pmproxy ingesting into Redis, and the series
// API and pmseries answering per host.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <vector>

#include "support/agent_host.h"
#include "support/background.h"
#include "support/http_client.h"
#include "support/installed_agent.h"
#include "support/pcp_client.h"
#include "support/pcp_tools.h"
#include "support/series_stack.h"
#include "support/workload.h"
#include "support/wait.h"

namespace bcc::test {
namespace {

using nlohmann::json;

const char* kHostConf = R"([pmda]
modules = runqlat

[runqlat]
module = runqlat
cluster = 4
)";

const std::vector<std::string> kHosts = {"bcc-farm-a", "bcc-farm-b"};

class Farm : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    unavailable_ = integration_unavailable();
    if (!unavailable_.empty()) return;
    if (run("unshare --net --uts true 2>&1; echo $?") != "0\n") {
      unavailable_ = "cannot create network and UTS namespaces here (unshare --net --uts)";
      return;
    }
    use_system_tools();
    dir_ = new TempDir("farm");
    stack_ = new SeriesStack(*dir_ / "central");
    for (const std::string& name : kHosts) {
      hosts_.push_back(std::make_unique<AgentHost>(name, *dir_ / name));
      error_ = hosts_.back()->start(kHostConf);
      if (!error_.empty()) return;
    }
    start_loggers();
    if (!error_.empty()) return;
    // pmproxy starts on a farm already logging, as after a restart of the
    // farm host: it discovers every archive at startup. (PCP 6.0.3's
    // pmproxy, discovering two archives created at the same instant while
    // running, may ingest only one of them.)
    for (const auto& host : hosts_) {
      std::string meta = stack_->archives() + "/" + host->hostname() + "/bcc.meta";
      if (!wait_until([&] { return access(meta.c_str(), R_OK) == 0; }, 15))
        error_ = "pmlogger wrote no " + meta;
    }
    if (error_.empty()) error_ = stack_->start();
  }
  static void TearDownTestSuite() {
    loggers_.clear();  // stops them
    hosts_.clear();
    delete stack_;
    stack_ = nullptr;
    delete dir_;
    dir_ = nullptr;
  }
  void SetUp() override {
    if (!unavailable_.empty()) GTEST_SKIP() << unavailable_;
    ASSERT_EQ(error_, "");
  }

  // The farm: one pmlogger per host, each into the host's own folder,
  // running (with load on the machine) until the tests have read what
  // they need; the suite's teardown stops them.
  static void start_loggers() {
    write_text(*dir_ / "farm.config", "log mandatory on every 1 second {\n  bcc.runq.latency\n}\n");
    for (const auto& host : hosts_) {
      std::string folder = stack_->archives() + "/" + host->hostname();
      run("mkdir -p " + folder);
      loggers_.push_back(std::make_unique<Background>());
      if (!loggers_.back()->start({"pmlogger", "-h", host->hostspec(), "-c",
                                   *dir_ / "farm.config", "-T", "120sec", "-l",
                                   folder + "/pmlogger.log", folder + "/bcc"},
                                  folder + "/pmlogger.out")) {
        error_ = loggers_.back()->error();
        return;
      }
    }
  }

  static json get_json(const std::string& path_and_query) {
    return json::parse(http_get(stack_->url(path_and_query)).body, nullptr, false);
  }

  static inline std::string unavailable_, error_;
  static inline TempDir* dir_ = nullptr;
  static inline SeriesStack* stack_ = nullptr;
  static inline std::vector<std::unique_ptr<AgentHost>> hosts_;
  static inline std::vector<std::unique_ptr<Background>> loggers_;
};

TEST_F(Farm, EachHostIsItsOwnMachine) {
  for (const auto& host : hosts_) {
    std::string labels = run("pminfo -h " + host->hostspec() + " -l bcc.runq.latency 2>&1");
    EXPECT_NE(labels.find("\"hostname\":\"" + host->hostname() + "\""), std::string::npos) << labels;
    // the farm's archive of the host is labelled with its name
    std::string archive = stack_->archives() + "/" + host->hostname() + "/bcc";
    std::string label;
    wait_until([&] {
      label = run("pmdumplog -l " + archive + " 2>&1");
      return label.find("from host") != std::string::npos;
    }, 10);
    EXPECT_NE(label.find("from host " + host->hostname()), std::string::npos) << label;
  }
}

TEST_F(Farm, SeriesQueryAnswersPerHost) {
  std::set<std::string> all;
  for (const auto& host : hosts_) {
    std::string expr = url_encode("bcc.runq.latency{hostname:\"" + host->hostname() + "\"}");
    json ids;
    json values;
    bool ingested = wait_until(
        [&] {
          scheduler_churn(2, 50);
          ids = get_json("/series/query?expr=" + expr);
          if (!ids.is_array() || ids.size() != 1) return false;
          values = get_json("/series/values?series=" + ids[0].get<std::string>() + "&start=-10min");
          std::set<double> times;
          if (values.is_array())
            for (const json& v : values) times.insert(v["timestamp"].get<double>());
          return times.size() >= 3;
        }, 30);
    ASSERT_TRUE(ingested) << host->hostname() << ": " << ids << " " << values << "\n"
                          << stack_->pmproxy_log();
    std::string series = ids[0];
    all.insert(series);
    // the host is a source of its own in the store
    json sources = get_json("/series/sources?match=" + host->hostname());
    EXPECT_NE(std::find(sources.begin(), sources.end(), host->hostname()), sources.end()) << sources;
    json instances = get_json("/series/instances?series=" + series);
    std::set<std::string> names;
    for (const json& i : instances) names.insert(i["name"].get<std::string>());
    EXPECT_TRUE(names.count("0-1")) << instances;

    std::string cli = run("pmseries -h 127.0.0.1 -p " + std::to_string(stack_->redis_port()) +
                          " 'bcc.runq.latency{hostname:\"" + host->hostname() + "\"}' 2>&1");
    EXPECT_NE(cli.find(series), std::string::npos) << cli;
  }
  EXPECT_EQ(all.size(), kHosts.size()) << "one series per host";
  json every = get_json("/series/query?expr=bcc.runq.latency");
  for (const std::string& s : all)
    EXPECT_NE(std::find(every.begin(), every.end(), s), every.end()) << every;
}

}  // namespace
}  // namespace bcc::test
