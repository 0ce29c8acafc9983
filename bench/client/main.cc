// bcc-bench-client: the benchmark's measuring hands, driven by bench/run.
//
//   bcc-bench-client ready  --pid PID [--prefix bcc] [--timeout SECONDS]
//       waits until every metric below the prefix can be fetched through
//       pmcd; prints the agent's age and CPU time at that moment
//   bcc-bench-client fetch  --pid PID --count N [--prefix bcc]
//       N fetches of every metric below the prefix; prints client-side
//       latency percentiles and the agent's CPU time over them
//   bcc-bench-client watch  --seconds S [--prefix bcc.pmda.module.state]
//       fetches the metrics below the prefix back to back for S seconds;
//       prints the latency percentiles and the longest fetch, and when it
//       happened: how long pmcd made a client wait while something else ran
//   bcc-bench-client kernel getpid|ctxswitch|tcp --count N
//       a tight loop of kernel events; prints nanoseconds per event
//   bcc-bench-client soak --pid PID [--seconds S] [--clients N] [--prefix bcc]
//       storms of kernel events while N clients fetch every metric below the
//       prefix as fast as they can (see soak.h); prints the figures and the
//       agent's memory curve; exits non-zero on a fetch error or if the agent
//       went away
//
// Output: key=value lines, read by the driver.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "metric_set.h"
#include "percentile.h"
#include "proc_stats.h"
#include "soak.h"
#include "workloads.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Args {
  std::string command, workload, prefix = "bcc";
  int pid = 0;
  long count = 0;
  double timeout = 180;
  double seconds = 600;
  int clients = 4;
};

Args parse(int argc, char** argv) {
  Args a;
  std::vector<std::string> words(argv + 1, argv + argc);
  for (size_t i = 0; i < words.size(); i++) {
    const std::string& w = words[i];
    auto value = [&]() -> const std::string& {
      if (i + 1 >= words.size()) throw std::invalid_argument(w + " needs a value");
      return words[++i];
    };
    if (w == "--pid") a.pid = std::stoi(value());
    else if (w == "--count") a.count = std::stol(value());
    else if (w == "--prefix") a.prefix = value();
    else if (w == "--timeout") a.timeout = std::stod(value());
    else if (w == "--seconds") a.seconds = std::stod(value());
    else if (w == "--clients") a.clients = std::stoi(value());
    else if (a.command.empty()) a.command = w;
    else if (a.workload.empty()) a.workload = w;
    else throw std::invalid_argument("unexpected argument " + w);
  }
  return a;
}

// Each attempt on a context of its own: pmcd 6.0.3 answers a namespace
// request for an agent that is not ready yet with two PDUs (PM_ERR_AGAIN,
// then another), so a context that asked once while the agent started stays
// one reply behind for good ("IPC protocol failure" forever, although the
// agent is ready and a fresh client gets every metric).
int wait_ready(const Args& a) {
  auto deadline = Clock::now() + std::chrono::duration<double>(a.timeout);
  int last = 0;
  while (Clock::now() < deadline) {
    if (bench::seconds_since_start(a.pid) < 0) {
      printf("error=agent process %d exited before it was ready\n", a.pid);
      return 2;
    }
    bench::MetricSet metrics;
    last = metrics.resolve(a.prefix);
    if (last > 0) last = metrics.fetch();
    if (last >= 0) {
      printf("ready_seconds=%.3f\ncpu_seconds=%.3f\nloaders_cpu_seconds=%.3f\nmetrics=%zu\n",
             bench::seconds_since_start(a.pid), bench::cpu_seconds(a.pid),
             bench::children_cpu_seconds(a.pid), metrics.size());
      return 0;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  printf("error=not ready after %.0fs: %s\n", a.timeout, pmErrStr(last));
  return 2;
}

int fetch_loop(const Args& a) {
  bench::MetricSet metrics;
  int sts = metrics.resolve(a.prefix);
  if (sts <= 0) {
    printf("error=no metrics below %s: %s\n", a.prefix.c_str(), pmErrStr(sts));
    return 2;
  }
  for (int i = 0; i < 20; i++) metrics.fetch();  // warm up both ends
  std::vector<double> micros;
  micros.reserve(static_cast<size_t>(a.count));
  long errors = 0;
  double cpu_before = bench::cpu_seconds(a.pid);
  double sched_before = bench::sched_cpu_seconds(a.pid);
  auto begin = Clock::now();
  for (long i = 0; i < a.count; i++) {
    auto start = Clock::now();
    if (metrics.fetch() < 0) errors++;
    micros.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
  }
  double wall = std::chrono::duration<double>(Clock::now() - begin).count();
  double cpu_after = bench::cpu_seconds(a.pid);
  double sched_after = bench::sched_cpu_seconds(a.pid);
  if (cpu_before < 0 || cpu_after < 0) {
    printf("error=agent process %d exited during the fetches\n", a.pid);
    return 2;
  }
  printf("metrics=%zu\nfetches=%ld\nerrors=%ld\nwall_seconds=%.3f\n", metrics.size(), a.count,
         errors, wall);
  printf("p50_us=%.1f\np99_us=%.1f\nagent_cpu_seconds=%.3f\nagent_sched_seconds=%.6f\n",
         bench::percentile(micros, 0.50), bench::percentile(micros, 0.99), cpu_after - cpu_before,
         sched_after - sched_before);
  return errors == 0 ? 0 : 2;
}

int watch(const Args& a) {
  bench::MetricSet metrics;
  int sts = metrics.resolve(a.prefix);
  if (sts <= 0) {
    printf("error=no metrics below %s: %s\n", a.prefix.c_str(), pmErrStr(sts));
    return 2;
  }
  std::vector<double> micros;
  long errors = 0;
  double longest = 0, longest_at = 0;
  auto begin = Clock::now();
  auto end = begin + std::chrono::duration<double>(a.seconds);
  while (Clock::now() < end) {
    auto start = Clock::now();
    if (metrics.fetch() < 0) errors++;
    double us = std::chrono::duration<double, std::micro>(Clock::now() - start).count();
    if (us > longest) {
      longest = us;
      longest_at = std::chrono::duration<double>(start - begin).count();
    }
    micros.push_back(us);
  }
  printf("fetches=%zu\nerrors=%ld\np50_us=%.1f\np99_us=%.1f\nmax_us=%.1f\nmax_at_seconds=%.2f\n",
         micros.size(), errors, bench::percentile(micros, 0.50), bench::percentile(micros, 0.99),
         longest, longest_at);
  return errors == 0 ? 0 : 2;
}

int kernel_loop(const Args& a) {
  auto count = static_cast<uint64_t>(a.count);
  double ns = 0;
  if (a.workload == "getpid") ns = bench::ns_per_getpid(count);
  else if (a.workload == "ctxswitch") ns = bench::ns_per_context_switch(count);
  else if (a.workload == "tcp") ns = bench::ns_per_tcp_connection(count);
  else throw std::invalid_argument("unknown workload '" + a.workload + "'");
  printf("ns_per_event=%.1f\n", ns);
  return 0;
}

int soak(const Args& a) {
  bench::SoakOptions options;
  options.agent_pid = a.pid;
  options.seconds = a.seconds;
  options.clients = a.clients;
  options.prefix = a.prefix;
  options.progress = stderr;
  bench::SoakReport report = bench::run_soak(options);
  bench::print_report(stdout, report);
  bool ok = report.fetch_errors == 0 && !report.agent_gone && report.workload_errors.empty();
  return ok ? 0 : 2;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    Args a = parse(argc, argv);
    if (a.command == "ready" && a.pid > 0) return wait_ready(a);
    if (a.command == "fetch" && a.pid > 0 && a.count > 0) return fetch_loop(a);
    if (a.command == "kernel" && a.count > 0) return kernel_loop(a);
    if (a.command == "watch" && a.seconds > 0) return watch(a);
    if (a.command == "soak" && a.pid > 0 && a.seconds > 0 && a.clients > 0) return soak(a);
    fprintf(stderr,
            "usage: %s ready --pid PID [--prefix P] [--timeout S]\n"
            "       %s fetch --pid PID --count N [--prefix P]\n"
            "       %s watch --seconds S [--prefix P]\n"
            "       %s kernel getpid|ctxswitch|tcp --count N\n"
            "       %s soak --pid PID [--seconds S] [--clients N] [--prefix P]\n",
            argv[0], argv[0], argv[0], argv[0], argv[0]);
    return 1;
  } catch (const std::exception& e) {
    printf("error=%s\n", e.what());
    return 2;
  }
}
