#include "support/fetch_watch.h"

#include <pcp/pmapi.h>

#include <chrono>

namespace bcc::test {

FetchWatch::FetchWatch(std::vector<std::string> metrics)
    : metrics_(std::move(metrics)), thread_([this] { loop(); }) {}

FetchWatch::~FetchWatch() { stop(); }

void FetchWatch::stop() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
}

void FetchWatch::loop() {
  int context = pmNewContext(PM_CONTEXT_HOST, "local:");
  if (context < 0) {
    failures_++;
    return;
  }
  std::vector<const char*> names;
  for (const std::string& m : metrics_) names.push_back(m.c_str());
  std::vector<pmID> ids(names.size(), PM_ID_NULL);
  // names that do not exist (yet) come back as PM_ID_NULL: fetched anyway
  pmLookupName(static_cast<int>(names.size()), names.data(), ids.data());
  while (!stopping_) {
    auto begin = std::chrono::steady_clock::now();
    pmResult* result = nullptr;
    int status = pmFetch(static_cast<int>(ids.size()), ids.data(), &result);
    long took = std::chrono::duration_cast<std::chrono::microseconds>(
                    std::chrono::steady_clock::now() - begin)
                    .count();
    if (result) pmFreeResult(result);
    if (status < 0) {
      failures_++;
      if (status == PM_ERR_IPC || status == -ECONNRESET) pmReconnectContext(context);
    }
    fetches_++;
    if (took > longest_us_) longest_us_ = took;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  pmDestroyContext(context);
}

}  // namespace bcc::test
