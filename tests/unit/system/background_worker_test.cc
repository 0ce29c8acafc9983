// BackgroundWorker: slow work off the request path, one task at a time,
// stopped and joined on destruction.
#include "system/background_worker.h"

#include <gtest/gtest.h>

#include <future>
#include <vector>

namespace bcc {
namespace {

TEST(BackgroundWorker, RunsTasksInOrderOffTheCallersThread) {
  std::vector<int> ran;
  std::vector<std::thread::id> threads;
  {
    BackgroundWorker worker;
    for (int i = 0; i < 5; i++)
      worker.post([&, i](const std::atomic<bool>&) {
        ran.push_back(i);
        threads.push_back(std::this_thread::get_id());
      });
    worker.drain();
    EXPECT_EQ(ran, (std::vector<int>{0, 1, 2, 3, 4}));
  }
  for (auto id : threads) EXPECT_NE(id, std::this_thread::get_id());
}

TEST(BackgroundWorker, PostReturnsWhileATaskIsBlocked) {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<bool> done{false};
  BackgroundWorker worker;
  worker.post([&](const std::atomic<bool>&) {
    released.wait();
    done = true;
  });
  // the caller goes on while the task waits
  EXPECT_FALSE(done);
  release.set_value();
  worker.drain();
  EXPECT_TRUE(done);
}

TEST(BackgroundWorker, DestructionStopsTheRunningTaskAndDropsTheRest) {
  std::atomic<bool> started{false}, saw_stop{false}, later_ran{false};
  {
    BackgroundWorker worker;
    worker.post([&](const std::atomic<bool>& stopping) {
      started = true;
      while (!stopping) std::this_thread::yield();
      saw_stop = true;
    });
    worker.post([&](const std::atomic<bool>&) { later_ran = true; });
    while (!started) std::this_thread::yield();
  }  // joins: the first task saw the request to stop, the second never ran
  EXPECT_TRUE(saw_stop);
  EXPECT_FALSE(later_ran);
}

TEST(BackgroundWorker, AnUnusedWorkerStartsNoThread) {
  BackgroundWorker worker;
  worker.drain();  // returns at once: nothing posted
}

}  // namespace
}  // namespace bcc
