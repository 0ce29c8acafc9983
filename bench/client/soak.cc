#include "soak.h"

#include <pcp/pmapi.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "metric_set.h"
#include "percentile.h"
#include "workloads.h"

namespace bench {

namespace {

// Upper bounds on each storm, far above what a machine does in the time
// given: the deadline stops them, the bound is there should the clock not.
constexpr double kMaxSyscallsPerSecond = 50e6;
constexpr double kMaxExecsPerSecond = 50e3;
constexpr double kMaxConnectionsPerSecond = 500e3;

double since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

uint64_t bound(double per_second, double seconds) {
  return static_cast<uint64_t>(per_second * seconds) + 1;
}

// One PCP client: its own context, every metric resolved before the soak,
// then fetches back to back until the deadline, each one timed.
struct Client {
  MetricSet metrics;
  std::vector<float> micros;
  uint64_t errors = 0;
  std::string first_error;

  void run(Clock::time_point until) {
    micros.reserve(1 << 20);
    while (Clock::now() < until) {
      auto start = Clock::now();
      int sts = metrics.fetch();
      micros.push_back(std::chrono::duration<float, std::micro>(Clock::now() - start).count());
      if (sts < 0 && errors++ == 0) {
        char buf[PM_MAXERRMSGLEN];
        first_error = pmErrStr_r(sts, buf, sizeof(buf));
        if (!metrics.failed_metric().empty()) first_error = metrics.failed_metric() + ": " + first_error;
      }
    }
  }
};

}  // namespace

SoakReport run_soak(const SoakOptions& o) {
  SoakReport report;
  report.clients = o.clients;
  double sample = o.sample_seconds > 0 ? o.sample_seconds : std::clamp(o.seconds / 30, 1.0, 20.0);
  double warmup = o.warmup_seconds > 0 ? o.warmup_seconds : std::min(30.0, o.seconds / 5);

  // Resolved one after the other: pmTraversePMNS reports names through a
  // callback without a context argument.
  std::vector<std::unique_ptr<Client>> clients;
  for (int i = 0; i < o.clients; i++) {
    clients.push_back(std::make_unique<Client>());
    int found = clients.back()->metrics.resolve(o.prefix);
    if (found <= 0)
      throw std::runtime_error("no metrics below " + o.prefix + ": " + pmErrStr(found));
    report.metrics = static_cast<size_t>(found);
  }

  auto begin = Clock::now();
  auto until = begin + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.seconds));
  std::mutex errors_lock;
  auto storm = [&](const char* what, uint64_t* count, auto loop) {
    return std::thread([&, what, count, loop] {
      try {
        *count = loop();
      } catch (const std::exception& e) {
        std::lock_guard<std::mutex> hold(errors_lock);
        report.workload_errors.push_back(std::string(what) + ": " + e.what());
      }
    });
  };
  std::vector<std::thread> threads;
  threads.push_back(storm("system calls", &report.syscalls, [&] {
    return getpid_storm(until, bound(kMaxSyscallsPerSecond, o.seconds));
  }));
  threads.push_back(storm("processes", &report.execs, [&] {
    return exec_storm(until, bound(kMaxExecsPerSecond, o.seconds), o.exec_args);
  }));
  threads.push_back(storm("tcp connections", &report.tcp_connections, [&] {
    return tcp_storm(until, bound(kMaxConnectionsPerSecond, o.seconds));
  }));
  for (auto& c : clients) threads.emplace_back([&c, until] { c->run(until); });

  // The memory curve, from this thread: a sample now, one every `sample`
  // seconds, one at the end.
  auto take_sample = [&] {
    MemorySample s{since(begin), memory_use(o.agent_pid)};
    if (s.use.rss_kb < 0) report.agent_gone = true;
    if (o.progress) {
      fprintf(o.progress, "  %7.1f s  VmRSS %7ld kB  Private_Dirty %7ld kB\n", s.seconds,
              s.use.rss_kb, s.use.private_dirty_kb);
      fflush(o.progress);
    }
    report.memory.push_back(s);
  };
  take_sample();
  for (double next = sample; next < o.seconds; next += sample) {
    std::this_thread::sleep_until(begin + std::chrono::duration_cast<Clock::duration>(
                                              std::chrono::duration<double>(next)));
    take_sample();
    if (report.warm_sample == 0 && next >= warmup) report.warm_sample = report.memory.size() - 1;
  }
  for (auto& t : threads) t.join();
  report.seconds = since(begin);
  take_sample();

  std::vector<float> all;
  for (auto& c : clients) {
    all.insert(all.end(), c->micros.begin(), c->micros.end());
    report.fetch_errors += c->errors;
    if (report.first_fetch_error.empty()) report.first_fetch_error = c->first_error;
  }
  report.fetches = all.size();
  if (!all.empty()) report.fetch_max_us = *std::max_element(all.begin(), all.end());
  report.fetch_p50_us = percentile(all, 0.50);
  report.fetch_p99_us = percentile(std::move(all), 0.99);
  return report;
}

MemorySlope private_dirty_slope(const SoakReport& r) {
  MemorySlope out;
  if (r.memory.size() < r.warm_sample + 3) return out;
  std::vector<double> slopes;
  double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (size_t i = r.warm_sample; i < r.memory.size(); i++) {
    double x = r.memory[i].seconds, y = static_cast<double>(r.memory[i].use.private_dirty_kb);
    n++, sx += x, sy += y, sxx += x * x, sxy += x * y;
    if (i == r.warm_sample) continue;
    double dt = x - r.memory[i - 1].seconds;
    if (dt > 0) slopes.push_back((y - r.memory[i - 1].use.private_dirty_kb) / dt);
  }
  if (slopes.empty()) return out;
  std::sort(slopes.begin(), slopes.end());
  size_t mid = slopes.size() / 2;
  out.median_kb_per_s =
      slopes.size() % 2 ? slopes[mid] : (slopes[mid - 1] + slopes[mid]) / 2;
  double denominator = n * sxx - sx * sx;
  if (denominator != 0) out.least_squares_kb_per_s = (n * sxy - sx * sy) / denominator;
  out.intervals = slopes.size();
  return out;
}

void print_report(FILE* out, const SoakReport& r) {
  auto rate = [&](uint64_t n) { return r.seconds > 0 ? static_cast<double>(n) / r.seconds : 0; };
  fprintf(out, "soak: %.0f s, %d clients fetching %zu metrics each\n", r.seconds, r.clients,
          r.metrics);
  fprintf(out, "events caused: %.0f/s (getpid %.0f/s, processes %.0f/s, tcp connections %.0f/s)\n",
          r.events_per_second(), rate(r.syscalls), rate(r.execs), rate(r.tcp_connections));
  fprintf(out, "fetches: %llu (%.0f/s), errors %llu%s%s\n",
          static_cast<unsigned long long>(r.fetches), rate(r.fetches),
          static_cast<unsigned long long>(r.fetch_errors),
          r.first_fetch_error.empty() ? "" : ", first: ", r.first_fetch_error.c_str());
  fprintf(out, "fetch latency: p50 %.0f us, p99 %.0f us, max %.0f us\n", r.fetch_p50_us,
          r.fetch_p99_us, r.fetch_max_us);
  for (const std::string& e : r.workload_errors) fprintf(out, "workload failed: %s\n", e.c_str());
  if (r.memory.empty()) return;
  fprintf(out, "agent memory (kB):  %9s %9s %9s\n", "start", "warm", "end");
  fprintf(out, "  VmRSS             %9ld %9ld %9ld\n", r.start().rss_kb, r.warm().rss_kb,
          r.end().rss_kb);
  fprintf(out, "  Private_Dirty     %9ld %9ld %9ld\n", r.start().private_dirty_kb,
          r.warm().private_dirty_kb, r.end().private_dirty_kb);
  MemorySlope slope = private_dirty_slope(r);
  fprintf(out,
          "Private_Dirty slope after warm-up: %.2f kB/s (median of %zu intervals), "
          "%.2f kB/s (least squares)\n",
          slope.median_kb_per_s, slope.intervals, slope.least_squares_kb_per_s);
  fprintf(out, "memory curve (warm-up reference at %.0f s):\n", r.memory[r.warm_sample].seconds);
  for (const MemorySample& s : r.memory)
    fprintf(out, "  %7.1f s  VmRSS %7ld kB  Private_Dirty %7ld kB\n", s.seconds, s.use.rss_kb,
            s.use.private_dirty_kb);
}

}  // namespace bench
