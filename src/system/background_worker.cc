#include "system/background_worker.h"

namespace bcc {

BackgroundWorker::~BackgroundWorker() {
  {
    std::lock_guard<std::mutex> hold(lock_);
    stopping_ = true;
    tasks_.clear();
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void BackgroundWorker::post(Task task) {
  std::lock_guard<std::mutex> hold(lock_);
  if (stopping_) return;
  tasks_.push_back(std::move(task));
  if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
  wake_.notify_one();
}

void BackgroundWorker::drain() {
  std::unique_lock<std::mutex> hold(lock_);
  idle_.wait(hold, [this] { return (tasks_.empty() && !busy_) || stopping_; });
}

void BackgroundWorker::run() {
  std::unique_lock<std::mutex> hold(lock_);
  for (;;) {
    wake_.wait(hold, [this] { return !tasks_.empty() || stopping_; });
    if (stopping_) break;
    Task task = std::move(tasks_.front());
    tasks_.pop_front();
    busy_ = true;
    hold.unlock();
    task(stopping_);
    task = nullptr;  // what it captured goes here, not under the lock
    hold.lock();
    busy_ = false;
    idle_.notify_all();
  }
  busy_ = false;
  idle_.notify_all();
}

}  // namespace bcc
