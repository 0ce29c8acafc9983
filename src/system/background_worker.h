// One thread for slow work that a request started but must not wait for
// (pmcd gives an agent 5 s for every request and serves everyone else
// meanwhile): tasks run one at a time, in the order posted, off the
// caller's thread.
//
// Destroying the worker asks the running task to stop (its `stopping`
// argument turns true: long tasks look at it between steps), drops the
// tasks not yet started and joins the thread, so nothing a task uses is
// destroyed under it: declare the worker after (destroyed before) the
// state its tasks touch.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace bcc {

class BackgroundWorker {
 public:
  using Task = std::function<void(const std::atomic<bool>& stopping)>;

  BackgroundWorker() = default;
  ~BackgroundWorker();
  BackgroundWorker(const BackgroundWorker&) = delete;
  BackgroundWorker& operator=(const BackgroundWorker&) = delete;

  // Queues `task`; the thread starts with the first one.
  void post(Task task);
  // Waits until every task posted so far has run (tests, orderly reloads).
  void drain();

 private:
  void run();

  std::mutex lock_;
  std::condition_variable wake_, idle_;
  std::deque<Task> tasks_;
  bool busy_ = false;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace bcc
