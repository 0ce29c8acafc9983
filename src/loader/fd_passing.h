// Descriptors from a loader to the agent over a SOCK_SEQPACKET socket
// (protocol.h describes the messages): the loader sends, the agent receives.
#pragma once

#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

namespace bcc::loader {

// The loader did not finish reporting before the caller's deadline.
class LoaderTimeout : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A sealed-size memfd holding `text` (for the manifest), positioned at 0;
// throws std::runtime_error.
int text_memfd(const char* name, const std::string& text);

// Sends `fds` in messages of at most kFdsPerMessage descriptors (payload
// "fds"), then one message "manifest" carrying `manifest_memfd`. The
// descriptors stay open (the caller owns them). Throws std::runtime_error.
void send_descriptors(int socket, const std::vector<int>& fds, int manifest_memfd);

struct Received {
  std::vector<int> fds;  // in arrival order; owned by the caller
  std::string manifest;  // the manifest memfd's text (the memfd is closed)
};

// Reads messages until "manifest", waiting (poll) at most until `deadline`.
// Throws LoaderTimeout at the deadline, std::runtime_error on EOF before
// "manifest" ("loader exited before reporting") or any malformed message;
// on a throw, every descriptor received so far is closed.
constexpr size_t kMaxManifestBytes = 16 * 1024 * 1024;
Received receive_descriptors(int socket, std::chrono::steady_clock::time_point deadline);

}  // namespace bcc::loader
