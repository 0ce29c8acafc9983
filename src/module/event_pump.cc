#include "module/event_pump.h"

#include <exception>

namespace bcc {

std::string EventPump::start(Maps& program, const std::vector<ModuleSpec::PerfBuffer>& buffers,
                             const ModuleOptions& options) {
  for (const auto& buffer : buffers) {
    size_t pages = 64;
    if (!buffer.pages_option.empty()) pages = options.number(buffer.pages_option);
    const PerfHandler* handler = &buffer.on_event;
    const auto* handle_lost = &buffer.on_lost;
    try {
      readers_.push_back(std::make_unique<PerfReader>(
          program.fd(buffer.table), pages,
          [handler](const void* data, size_t size) { (*handler)(data, static_cast<int>(size)); },
          [this, handle_lost](uint64_t lost) {
            on_lost(lost);
            if (*handle_lost) (*handle_lost)(lost);
          }));
    } catch (const std::exception& e) {
      return "perf buffer '" + buffer.table + "': " + e.what();
    }
  }
  if (!readers_.empty()) {
    polling_ = true;
    poller_ = std::thread([this] { poll(); });
  }
  return "";
}

void EventPump::stop() {
  if (poller_.joinable()) {
    polling_ = false;
    poller_.join();
  }
  readers_.clear();
}

void EventPump::poll() {
  int timeout = readers_.size() == 1 ? 200 : 50;
  while (polling_)
    for (auto& reader : readers_) {
      try {
        reader->poll(timeout);
      } catch (const std::exception& e) {
        log_(LOG_ERR, std::string("handling an event: ") + e.what());
      }
    }
}

void EventPump::on_lost(uint64_t lost) {
  // logged once; every loss is counted in bcc.pmda.module.lost_events
  if (lost_events_.fetch_add(lost) == 0)
    log_(LOG_WARNING, "perf buffer full, " + std::to_string(lost) +
                          " event(s) lost; further losses are counted in "
                          "bcc.pmda.module.lost_events, not logged (a larger buffer_page_count "
                          "keeps more)");
}

}  // namespace bcc
