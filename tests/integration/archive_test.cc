// pmlogger archives of the agent's metrics, as an operator records them:
// pmlogconf offers the shipped groups, pmlogger records them for a few
// intervals while the test makes load, pmdumplog and pmrep -a read them back.
#include <unistd.h>

#include <map>
#include <memory>
#include <regex>
#include <sstream>
#include <thread>

#include "support/all_modules_suite.h"
#include "support/background.h"
#include "support/traffic.h"
#include "support/workload.h"

namespace bcc::test {
namespace {

constexpr const char* kExecMarker = "pmdabcc-archive-exec-marker";

// One sample of `pmrep -r -o csv`: the raw counter of each bucket present
// then, by column name ("bcc.runq.latency-0-1").
using Row = std::map<std::string, uint64_t>;

// Samples of `pmrep -a ARCHIVE -r -o csv METRIC` that have values (pmrep
// leaves the first one empty). A bucket that appears later adds a column:
// with --dynamic-header pmrep prints the header again then.
std::vector<Row> raw_rows(const std::string& archive, const std::string& metric) {
  std::istringstream csv(
      run("pmrep -a " + archive + " -r --dynamic-header -o csv " + metric + " 2>&1"));
  std::vector<Row> rows;
  std::vector<std::string> columns;
  for (std::string line; std::getline(csv, line);) {
    std::vector<std::string> fields;
    std::stringstream ls(line);
    for (std::string f; std::getline(ls, f, ',');) fields.push_back(f);
    if (fields.size() < 2) continue;
    if (fields[0] == "Time") {
      columns.clear();
      for (size_t i = 1; i < fields.size(); i++)
        columns.push_back(fields[i].size() > 1 && fields[i].front() == '"'
                              ? fields[i].substr(1, fields[i].size() - 2)
                              : fields[i]);
      continue;
    }
    Row row;
    for (size_t i = 1; i < fields.size() && i <= columns.size(); i++)
      if (!fields[i].empty()) row[columns[i - 1]] = std::stoull(fields[i]);
    if (!row.empty()) rows.push_back(row);
  }
  return rows;
}

uint64_t sum(const Row& row) {
  uint64_t s = 0;
  for (const auto& [bucket, v] : row) s += v;
  return s;
}

class Archives : public AllModulesSuite {
 protected:
  static void SetUpTestSuite() {
    if (!install_all_modules()) return;
    dir_ = new TempDir("archive");
    record();
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
    remove_for_suite();
  }
  void check_fixtures() override { ASSERT_TRUE(recorded_) << record_error_; }

  // The pmlogger configuration pmlogconf makes from the installed bcc
  // groups alone (a groups folder holding only them), then about ten
  // one-second samples with load in between.
  static void record() {
    std::string groups = *dir_ / "groups";
    run("mkdir -p " + groups + " && ln -s " + pcp_conf("PCP_VAR_DIR") +
        "/config/pmlogconf/bcc " + groups + "/bcc");
    config_ = *dir_ / "pmlogger.config";
    std::string out = run("pmlogconf -c -q -d " + groups + " " + config_ + " 2>&1");
    archive_ = *dir_ / "bcc";
    Background logger;
    if (!logger.start({"pmlogger", "-c", config_, "-t", "1sec", "-T", "10sec", "-l",
                       *dir_ / "pmlogger.log", archive_},
                      *dir_ / "pmlogger.out")) {
      record_error_ = logger.error();
      return;
    }
    for (int round = 0; round < 6; round++) {
      scheduler_churn(2, 100);
      direct_writes(*dir_ / "direct-io", 16);
      if (modules_.active("tcplife")) loopback_tcp_session(1000);
      if (modules_.active("execsnoop")) run(std::string("/bin/echo ") + kExecMarker + " >/dev/null");
      usleep(700 * 1000);
    }
    if (!logger.wait_exit(20000)) {
      record_error_ = "pmlogger did not finish its 10 seconds: " + read_text(*dir_ / "pmlogger.log");
      return;
    }
    recorded_ = access((archive_ + ".meta").c_str(), R_OK) == 0;
    if (!recorded_)
      record_error_ = "no archive; pmlogconf said: " + out + "\npmlogger log:\n" +
                      read_text(*dir_ / "pmlogger.log");
  }

  static inline TempDir* dir_ = nullptr;
  static inline std::string config_, archive_, record_error_;
  static inline bool recorded_ = false;
};

TEST_F(Archives, PmlogconfOffersTheInstalledGroups) {
  // the default groups folder, as pmlogger_check would use it
  std::string config = *dir_ / "full.config";
  run("pmlogconf -c -q " + config + " >/dev/null 2>&1");
  std::string text = read_text(config);
  EXPECT_NE(text.find("#+ bcc/runqlat:y:default:"), std::string::npos) << text;
  EXPECT_NE(text.find("#+ bcc/biolatency:y:default:"), std::string::npos) << text;
  EXPECT_NE(text.find("#+ bcc/status:y:"), std::string::npos) << text;
  // a group is included exactly when its module runs in the agent
  for (const char* module :
       {"tcplife", "execsnoop", "syscount", "netproc", "exitsnoop", "oomkill"}) {
    std::string line = std::string("#+ bcc/") + module + (modules_.built(module) ? ":y:" : ":x:");
    EXPECT_NE(text.find(line), std::string::npos) << line << " in\n" << text;
  }
}

TEST_F(Archives, PmloggerRecordsTheEnabledGroups) {
  std::string config = read_text(config_);
  EXPECT_NE(config.find("bcc.runq.latency"), std::string::npos) << config;
  EXPECT_NE(config.find("bcc.disk.all.latency"), std::string::npos) << config;
  std::string names = run("pminfo -a " + archive_ + " bcc");
  EXPECT_NE(names.find("bcc.runq.latency"), std::string::npos) << names;
  EXPECT_NE(names.find("bcc.disk.all.latency"), std::string::npos) << names;
  EXPECT_NE(names.find("bcc.pmda.module.state"), std::string::npos) << names;
  // PMIDs and metadata in the archive are the Python agent's
  std::string desc = run("pminfo -a " + archive_ + " -d -m bcc.runq.latency");
  EXPECT_NE(desc.find("PMID: 149.4.0"), std::string::npos) << desc;
  EXPECT_NE(desc.find("Semantics: counter  Units: microsec"), std::string::npos) << desc;
}

TEST_F(Archives, PmdumplogShowsBucketsByName) {
  std::string dump = run("pmdumplog " + archive_ + " bcc.runq.latency");
  size_t samples = 0;
  for (size_t p = 0; (p = dump.find("(bcc.runq.latency):", p)) != std::string::npos; p++) samples++;
  EXPECT_GE(samples, 5u) << dump;
  EXPECT_NE(dump.find("inst [0 or \"0-1\"] value "), std::string::npos) << dump;
  EXPECT_NE(dump.find("or \"2-3\"] value "), std::string::npos) << dump;
}

TEST_F(Archives, HistogramBucketsGrowFromSampleToSample) {
  for (const char* metric : {"bcc.runq.latency", "bcc.disk.all.latency"}) {
    std::vector<Row> rows = raw_rows(archive_, metric);
    ASSERT_GE(rows.size(), 5u) << metric;
    EXPECT_TRUE(rows.back().count(std::string(metric) + "-0-1") ||
                rows.back().count(std::string(metric) + "-2-3"))
        << metric << ": buckets are named by their bounds";
    for (size_t i = 1; i < rows.size(); i++)
      for (const auto& [bucket, before] : rows[i - 1]) {
        // a bucket never goes away, and its counter never goes down;
        // new buckets may appear
        ASSERT_TRUE(rows[i].count(bucket)) << bucket << " vanished at sample " << i;
        EXPECT_GE(rows[i].at(bucket), before) << bucket << " at sample " << i;
      }
    // the load ran between the first and the last sample
    EXPECT_GT(sum(rows.back()), sum(rows.front())) << metric;
  }
  std::vector<Row> runq = raw_rows(archive_, "bcc.runq.latency");
  EXPECT_GE(sum(runq.back()) - sum(runq.front()), 1000u);
}

TEST_F(Archives, PmrepReplaysTheArchiveWithTheMetricSets) {
  std::string out = run("pmrep -a " + archive_ + " :bcc-runqlat 2>&1");
  EXPECT_NE(out.find("events/s"), std::string::npos) << out;
  EXPECT_TRUE(std::regex_search(out, std::regex(R"(\n +0-1 +[0-9]+\n)"))) << out;
  out = run("pmrep -a " + archive_ + " :bcc-biolatency 2>&1");
  EXPECT_NE(out.find("I/Os/s"), std::string::npos) << out;
  // logged once a minute: replayed as recorded (-u), not interpolated
  out = run("pmrep -a " + archive_ + " -u -s 1 :bcc-status 2>&1");
  EXPECT_TRUE(std::regex_search(out, std::regex(R"(runqlat +runqlat +active)"))) << out;
}

TEST_F(Archives, TcplifeStringsSurvive) {
  REQUIRE_MODULE(modules_, "tcplife");
  std::string dump = run("pmdumplog " + archive_ +
                         " bcc.proc.io.net.tcp.comm bcc.proc.io.net.tcp.laddr"
                         " bcc.proc.io.net.tcp.daddr");
  EXPECT_NE(dump.find("value \"127.0.0.1\""), std::string::npos) << dump;
  EXPECT_NE(dump.find("value \"archive_test\""), std::string::npos) << dump;
  std::string out = run("pmrep -a " + archive_ + " -s 3 :bcc-tcplife 2>&1");
  EXPECT_NE(out.find("127.0.0.1"), std::string::npos) << out;
  EXPECT_NE(out.find("archive_test"), std::string::npos) << out;
}

TEST_F(Archives, ExecsnoopStringsSurvive) {
  REQUIRE_MODULE(modules_, "execsnoop");
  std::string dump = run("pmdumplog " + archive_ + " bcc.proc.exec.comm bcc.proc.exec.args");
  EXPECT_NE(dump.find(kExecMarker), std::string::npos) << dump;
  EXPECT_NE(dump.find("value \"echo\""), std::string::npos) << dump;
}

}  // namespace
}  // namespace bcc::test
