// The agent through pmproxy, as grafana-pcp uses it: the PCP Vector data
// source's REST calls (context, metric, indom, fetch, store), the shipped
// Grafana dashboard's queries, and the time-series store (pmlogger ->
// pmproxy discovery -> Redis -> /series/* and pmseries).
#include <gtest/gtest.h>

#include <chrono>
#include <thread>
#include <unistd.h>

#include <algorithm>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <vector>

#include "support/background.h"
#include "support/http_client.h"
#include "support/installed_agent.h"
#include "support/module_set.h"
#include "support/pcp_client.h"
#include "support/pcp_tools.h"
#include "support/reference_metrics.h"
#include "support/series_stack.h"
#include "support/traffic.h"
#include "support/workload.h"
#include "support/wait.h"

namespace bcc::test {
namespace {

using nlohmann::json;

class Pmproxy : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    unavailable_ = integration_unavailable();
    if (!unavailable_.empty()) return;
    use_system_tools();
    agent_ = new InstalledAgent();
    installed_ = agent_->install(kAllModulesConf);
    if (!installed_) return;
    PcpClient pcp;
    modules_ = ModuleSet::read(pcp);
    dir_ = new TempDir("pmproxy");
    stack_ = new SeriesStack(dir_->path());
    stack_error_ = stack_->start();
  }
  static void TearDownTestSuite() {
    delete stack_;  // stops pmproxy and redis-server
    stack_ = nullptr;
    delete dir_;
    dir_ = nullptr;
    delete agent_;
    agent_ = nullptr;
  }
  void SetUp() override {
    if (!unavailable_.empty()) GTEST_SKIP() << unavailable_;
    ASSERT_TRUE(installed_) << agent_->log();
    ASSERT_EQ(stack_error_, "");
  }

  // GET that must answer 200 with JSON.
  static json get(const std::string& path_and_query) {
    HttpResponse r = http_get(stack_->url(path_and_query));
    EXPECT_EQ(r.status, 200) << path_and_query << ": " << r.error << r.body;
    json j = json::parse(r.body, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << path_and_query << " answered no JSON: " << r.body;
    return j;
  }

  // A pmapi context like the one the Vector data source keeps open.
  static std::string context() {
    json c = get("/pmapi/context?hostspec=localhost&polltimeout=60");
    return std::to_string(c.value("context", 0LL));
  }

  // instance id -> value of one metric from /pmapi/fetch
  static std::map<long long, json> fetch(const std::string& ctx, const std::string& metric) {
    return fetch_together(ctx, {metric})[metric];
  }

  // metric -> instance id -> value, all from one fetch: the values of one
  // moment, as a table's columns must be read (each HTTP request is a TCP
  // connection whose close pushes tcplife's table on by two sessions)
  static std::map<std::string, std::map<long long, json>> fetch_together(
      const std::string& ctx, const std::vector<std::string>& metrics) {
    std::string names;
    for (const std::string& m : metrics) names += (names.empty() ? "" : ",") + m;
    json f = get("/pmapi/fetch?context=" + ctx + "&names=" + names);
    std::map<std::string, std::map<long long, json>> out;
    for (const json& v : f["values"])
      for (const json& i : v["instances"])  // a singular metric's instance is null
        out[v["name"]][i["instance"].is_number() ? i["instance"].get<long long>() : -1] =
            i["value"];
    return out;
  }

  static inline std::string unavailable_, stack_error_;
  static inline InstalledAgent* agent_ = nullptr;
  static inline bool installed_ = false;
  static inline ModuleSet modules_;
  static inline TempDir* dir_ = nullptr;
  static inline SeriesStack* stack_ = nullptr;
};

TEST_F(Pmproxy, ContextNamesTheHost) {
  json c = get("/pmapi/context?hostspec=localhost&polltimeout=60");
  EXPECT_GT(c.value("context", 0LL), 0) << c;
  ASSERT_TRUE(c.contains("labels")) << c;
  EXPECT_TRUE(c["labels"].contains("hostname")) << c;
}

TEST_F(Pmproxy, MetricDescribesTheHistogram) {
  std::string ctx = context();
  json m = get("/pmapi/metric?context=" + ctx + "&names=bcc.runq.latency,bcc.disk.all.latency");
  ASSERT_EQ(m["metrics"].size(), 2u) << m;
  const json& runq = m["metrics"][0];
  EXPECT_EQ(runq["name"], "bcc.runq.latency");
  EXPECT_EQ(runq["pmid"], "149.4.0");
  EXPECT_EQ(runq["indom"], "149.4");
  EXPECT_EQ(runq["type"], "u64");
  EXPECT_EQ(runq["sem"], "counter");
  EXPECT_EQ(runq["units"], "microsec");
  EXPECT_EQ(runq["labels"]["statistic"], "histogram") << runq;
  EXPECT_EQ(runq["labels"]["bcc_module"], "runqlat") << runq;
  EXPECT_EQ(runq["text-oneline"], "run queue (scheduler) latency distribution");
  EXPECT_GT(runq.value("text-help", std::string()).size(), 40u) << runq;
  EXPECT_EQ(m["metrics"][1]["pmid"], "149.0.0");
  EXPECT_EQ(m["metrics"][1]["sem"], "counter");
}

TEST_F(Pmproxy, IndomNamesTheBucketsByTheirBounds) {
  std::string ctx = context();
  json d = get("/pmapi/indom?context=" + ctx + "&name=bcc.runq.latency");
  EXPECT_EQ(d["indom"], "149.4");
  std::set<std::string> names;
  for (const json& i : d["instances"]) names.insert(i["name"].get<std::string>());
  EXPECT_TRUE(names.count("0-1")) << d;
  EXPECT_TRUE(names.count("2-3")) << d;
  for (const std::string& n : names)
    EXPECT_TRUE(std::regex_match(n, std::regex("[0-9]+-[0-9]+"))) << n;
}

TEST_F(Pmproxy, FetchedCountersNeverDecrease) {
  std::string ctx = context();
  auto first = fetch(ctx, "bcc.runq.latency");
  ASSERT_FALSE(first.empty());
  scheduler_churn(2, 200);
  auto second = fetch(ctx, "bcc.runq.latency");
  uint64_t before = 0, after = 0;
  for (const auto& [inst, value] : first) {
    ASSERT_TRUE(second.count(inst)) << "bucket " << inst << " disappeared";
    EXPECT_GE(second[inst].get<uint64_t>(), value.get<uint64_t>()) << "bucket " << inst;
    before += value.get<uint64_t>();
  }
  for (const auto& [inst, value] : second) after += value.get<uint64_t>();
  EXPECT_GE(after - before, 400u);  // new buckets may have appeared: counted too
}

// Grafana's metric browser lists a prefix with its help text: every metric
// of every running module has a one-line and a longer help (pminfo -T).
TEST_F(Pmproxy, EveryMetricHasHelpText) {
  std::string ctx = context();
  json m = get("/pmapi/metric?context=" + ctx + "&prefix=bcc");
  ASSERT_GE(m["metrics"].size(), 8u) << m;  // two histograms and the status metrics at least
  for (const json& metric : m["metrics"]) {
    std::string name = metric["name"];
    std::string oneline = metric.value("text-oneline", std::string());
    std::string help = metric.value("text-help", std::string());
    EXPECT_FALSE(oneline.empty()) << name;
    EXPECT_GT(help.size(), oneline.size()) << name << ": help says no more than its one line";
    std::string t = run("pminfo -T " + name + " 2>&1");
    EXPECT_NE(t.find("Help:"), std::string::npos) << t;
    EXPECT_EQ(t.find("Help: <None>"), std::string::npos) << t;
  }
}

// Over pmcd's unix socket pmcd itself allows stores (a pmcd metric takes
// one), so the refusal is the agent's own.
TEST_F(Pmproxy, StoreIsRefused) {
  json c = get("/pmapi/context?hostspec=local:&polltimeout=60");
  std::string ctx = std::to_string(c.value("context", 0LL));
  uint64_t timeout = fetch(ctx, "pmcd.control.timeout").begin()->second.get<uint64_t>();
  json allowed = get("/pmapi/store?context=" + ctx + "&name=pmcd.control.timeout&value=" +
                     std::to_string(timeout));
  ASSERT_EQ(allowed.value("success", false), true) << allowed;

  uint64_t before = fetch(ctx, "bcc.runq.latency").begin()->second.get<uint64_t>();
  for (const char* metric : {"bcc.runq.latency", "bcc.pmda.module.state"}) {
    HttpResponse r = http_get(stack_->url("/pmapi/store?context=" + ctx + "&name=" + metric +
                                          "&value=0"));
    EXPECT_GE(r.status, 400) << metric << ": " << r.body;
    json j = json::parse(r.body, nullptr, false);
    EXPECT_EQ(j.value("success", true), false) << r.body;
    // refused by the agent (no permission), or by pmproxy before it asks
    // (a store to a metric with instances names none here)
    std::string message = j.value("message", std::string());
    EXPECT_TRUE(message.find("No permission") != std::string::npos ||
                message.find("illegal instance") != std::string::npos)
        << r.body;
  }
  EXPECT_GE(fetch(ctx, "bcc.runq.latency").begin()->second.get<uint64_t>(), before);
}

// The table's columns through the Vector data source's fetch: one session's
// ports and address on one instance.
TEST_F(Pmproxy, TcplifeTableThroughRest) {
  REQUIRE_MODULE(modules_, "tcplife");
  std::string ctx = context();
  TcpSession s = loopback_tcp_session(3000);
  ASSERT_EQ(s.error, "");
  bool found = false;
  // the agent's reader thread drains the perf buffer a moment after the close
  for (int attempt = 0; attempt < 30 && !found; attempt++) {
    if (attempt) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    auto table = fetch_together(ctx, {"bcc.proc.io.net.tcp.laddr", "bcc.proc.io.net.tcp.lport",
                                      "bcc.proc.io.net.tcp.dport"});
    auto& laddr = table["bcc.proc.io.net.tcp.laddr"];
    auto& lport = table["bcc.proc.io.net.tcp.lport"];
    auto& dport = table["bcc.proc.io.net.tcp.dport"];
    for (const auto& [inst, port] : lport)
      if ((port == s.server_port && dport[inst] == s.client_port) ||
          (port == s.client_port && dport[inst] == s.server_port)) {
        found = true;
        EXPECT_EQ(laddr[inst], "127.0.0.1");
      }
  }
  EXPECT_TRUE(found) << "no session " << s.client_port << "<->" << s.server_port;
  json d = get("/pmapi/indom?context=" + ctx + "&name=bcc.proc.io.net.tcp.comm");
  ASSERT_FALSE(d["instances"].empty()) << d;
  bool newest = false;  // instances "0" (newest) to "N-1", in whatever order listed
  for (const json& i : d["instances"]) newest = newest || i["name"] == "0";
  EXPECT_TRUE(newest) << d;
}

// Every metric the shipped dashboard queries exists in the agent, looked up
// the way the Vector data source does; a metric of a module type not built
// into this agent must at least be one of the Python agent's.
TEST_F(Pmproxy, GrafanaDashboardQueriesExist) {
  std::string file = pcp_conf("PCP_PMDAS_DIR") + "/bcc/grafana/pcp-vector-bcc.json";
  json dash = json::parse(read_text(file), nullptr, false);
  ASSERT_FALSE(dash.is_discarded()) << file << " is not JSON";
  ASSERT_EQ(dash["templating"]["list"][0]["query"], "performancecopilot-vector-datasource");
  std::string where;
  auto reference = reference_metrics(&where);
  std::string ctx = context();
  std::set<std::string> panel_types;
  int checked_live = 0;
  for (const json& panel : dash["panels"]) {
    panel_types.insert(panel["type"].get<std::string>());
    for (const json& target : panel["targets"]) {
      std::string metric = target["expr"];
      std::string format = target["format"];
      HttpResponse r = http_get(stack_->url("/pmapi/metric?context=" + ctx + "&names=" + metric));
      json m = json::parse(r.body, nullptr, false);
      bool live = r.status == 200 && !m.is_discarded() && m["metrics"].size() == 1;
      if (live) {
        checked_live++;
        if (format == "heatmap") {
          EXPECT_EQ(m["metrics"][0]["labels"]["statistic"], "histogram") << metric;
        }
        if (format == "metrics_table") {
          EXPECT_EQ(m["metrics"][0]["sem"], "instant") << metric;
        }
        continue;
      }
      auto ref = reference.find(metric);
      ASSERT_NE(ref, reference.end())
          << metric << " (panel \"" << panel["title"] << "\") is neither in the agent nor in "
          << "the Python agent's metrics (" << where << ")";
      EXPECT_FALSE(modules_.built(ref->second))
          << metric << ": module " << ref->second << " is built but pmproxy does not know the "
          << "metric: " << r.body;
      std::cout << "[ reference ] " << metric << ": module " << ref->second
                << " not built into this agent; checked against " << where << "\n";
    }
  }
  EXPECT_GE(checked_live, 2);  // runqlat and biolatency at least
  EXPECT_TRUE(panel_types.count("heatmap"));
  EXPECT_TRUE(panel_types.count("table"));
  EXPECT_TRUE(panel_types.count("timeseries"));
}

// pmlogger records the agent into an archive folder; pmproxy, started on
// it once the archive exists (as on a farm host after a restart: PCP
// 6.0.3's pmproxy discovers archives at startup most reliably), tails the
// archive into Redis; the series API and pmseries return the values with
// the buckets' names. Ingesting takes seconds on a quiet machine and
// minutes on a loaded one: the wait is on the values themselves, polled
// once a second, with a deadline only to end a stuck run.
TEST_F(Pmproxy, SeriesQueryReturnsHistogramValuesWithInstanceNames) {
  SeriesStack store(*dir_ / "series");
  auto store_get = [&](const std::string& path_and_query) {
    return json::parse(http_get(store.url(path_and_query)).body, nullptr, false);
  };
  std::string host = run("hostname | tr -d '\\n'");
  std::string folder = store.archives() + "/" + host;
  run("mkdir -p " + folder);
  write_text(*dir_ / "series.config",
             "log mandatory on every 1 second {\n  bcc.runq.latency\n}\n");
  // runs until the values are read (stopped below), the deadline at most
  Background logger;
  ASSERT_TRUE(logger.start({"pmlogger", "-c", *dir_ / "series.config", "-T", "400sec", "-l",
                            *dir_ / "series-pmlogger.log", folder + "/bcc"},
                           *dir_ / "series-pmlogger.out"))
      << logger.error();
  std::string meta = folder + "/bcc.meta";
  ASSERT_TRUE(wait_until([&] { return access(meta.c_str(), R_OK) == 0; }, 60))
      << "pmlogger wrote no " << meta << ": " << read_text(*dir_ / "series-pmlogger.log");
  ASSERT_EQ(store.start(), "");

  // two samples at least: enough to see each bucket's counter move
  std::string series;
  json values;
  auto ingested = [&] {
    scheduler_churn(2, 50);
    json q = store_get("/series/query?expr=bcc.runq.latency");
    if (!q.is_array() || q.empty()) return false;
    series = q[0];
    values = store_get("/series/values?series=" + series + "&start=-10min");
    std::set<double> times;
    if (values.is_array())
      for (const json& v : values) times.insert(v["timestamp"].get<double>());
    return times.size() >= 2;
  };
  auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(5);
  bool done = false;
  while (!(done = ingested()) && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::seconds(1));
  logger.stop();
  ASSERT_TRUE(done) << "series " << series << " values " << values << "\npmproxy log:\n"
                    << store.pmproxy_log();

  json instances = store_get("/series/instances?series=" + series);
  std::set<std::string> names;
  for (const json& i : instances) names.insert(i["name"].get<std::string>());
  EXPECT_TRUE(names.count("0-1")) << instances;
  EXPECT_TRUE(names.count("2-3")) << instances;
  // each bucket's series of samples is a counter: it never goes down, and
  // the load made some grow while pmlogger recorded
  std::map<std::string, std::vector<std::pair<double, uint64_t>>> by_instance;
  for (const json& v : values)
    by_instance[v["instance"]].push_back(
        {v["timestamp"].get<double>(), std::stoull(v["value"].get<std::string>())});
  bool grew = false;
  for (auto& [inst, samples] : by_instance) {
    std::sort(samples.begin(), samples.end());
    for (size_t i = 1; i < samples.size(); i++) {
      EXPECT_GE(samples[i].second, samples[i - 1].second) << "instance series " << inst;
      grew |= samples[i].second > samples[i - 1].second;
    }
  }
  EXPECT_TRUE(grew) << values;

  std::string port = std::to_string(store.redis_port());
  std::string ids = run("pmseries -h 127.0.0.1 -p " + port + " bcc.runq.latency 2>&1");
  EXPECT_NE(ids.find(series), std::string::npos) << ids;
  std::string all = run("pmseries -h 127.0.0.1 -p " + port + " -a " + series + " 2>&1");
  EXPECT_NE(all.find("PMID: 149.4.0"), std::string::npos) << all;
  EXPECT_NE(all.find("inst [0 or \"0-1\"]"), std::string::npos) << all;
  EXPECT_NE(all.find("Semantics: counter  Units: microsec"), std::string::npos) << all;
}

}  // namespace
}  // namespace bcc::test
