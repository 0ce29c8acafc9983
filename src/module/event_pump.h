// The perf buffers of a running module's program, drained by a thread of
// their own into the module's handlers (ModuleSpec::perf_buffer); events
// the kernel dropped because a buffer was full are counted.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "bpf/maps.h"
#include "bpf/perf_reader.h"
#include "module/module_log.h"
#include "module/options.h"
#include "module/spec.h"

namespace bcc {

class EventPump {
 public:
  explicit EventPump(ModuleLog log) : log_(std::move(log)) {}
  ~EventPump() { stop(); }
  EventPump(const EventPump&) = delete;
  EventPump& operator=(const EventPump&) = delete;

  // Opens `buffers` on `program` (each `pages_option` pages, else 64) and
  // starts draining them; "" or why a buffer could not be opened (those
  // opened are closed by stop()). The handlers run on the pump's thread.
  std::string start(Maps& program, const std::vector<ModuleSpec::PerfBuffer>& buffers,
                    const ModuleOptions& options);
  // Joins the thread and closes the buffers; the lost events stay counted.
  void stop();
  // Events lost since the module was created, over every start.
  uint64_t lost_events() const { return lost_events_; }
  bool draining() const { return poller_.joinable(); }

 private:
  void poll();
  void on_lost(uint64_t lost);

  ModuleLog log_;
  std::vector<std::unique_ptr<PerfReader>> readers_;
  std::atomic<bool> polling_{false};
  std::thread poller_;
  std::atomic<uint64_t> lost_events_{0};
};

}  // namespace bcc
