#include "bpf/perf_reader.h"

#include <bpf/libbpf.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>
#include <utility>

namespace bcc {

PerfReader::PerfReader(int map_fd, size_t pages, OnEvent on_event, OnLost on_lost)
    : on_event_(std::move(on_event)), on_lost_(std::move(on_lost)) {
  if (pages == 0 || (pages & (pages - 1)) != 0)
    throw std::runtime_error("perf buffer of " + std::to_string(pages) +
                             " pages: the size must be a power of two");
  buffer_ = perf_buffer__new(map_fd, pages, &PerfReader::sample, &PerfReader::lost, this, nullptr);
  if (!buffer_) {
    int error = errno;
    throw std::runtime_error("cannot open perf buffers of " + std::to_string(pages) +
                             " pages on map descriptor " + std::to_string(map_fd) + ": " +
                             std::strerror(error) +
                             (error == EPERM || error == ENOMEM
                                  ? " (locked memory limit or perf_event_paranoid?)"
                                  : ""));
  }
}

PerfReader::~PerfReader() { perf_buffer__free(buffer_); }

int PerfReader::poll(int timeout_ms) {
  int rc = perf_buffer__poll(buffer_, timeout_ms);
  if (failure_) std::rethrow_exception(std::exchange(failure_, nullptr));
  // a signal is not an error of the buffers: nothing was read this time
  if (rc == -EINTR) return 0;
  return rc;
}

// Exceptions must not unwind through libbpf's C frames: kept, rethrown by poll().
void PerfReader::sample(void* self, int, void* data, uint32_t size) {
  auto* reader = static_cast<PerfReader*>(self);
  if (!reader->on_event_ || reader->failure_) return;
  try {
    reader->on_event_(data, size);
  } catch (...) {
    reader->failure_ = std::current_exception();
  }
}

void PerfReader::lost(void* self, int, unsigned long long count) {
  auto* reader = static_cast<PerfReader*>(self);
  if (!reader->on_lost_ || reader->failure_) return;
  try {
    reader->on_lost_(count);
  } catch (...) {
    reader->failure_ = std::current_exception();
  }
}

}  // namespace bcc
