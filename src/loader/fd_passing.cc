#include "loader/fd_passing.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "loader/protocol.h"

namespace bcc::loader {

namespace {

constexpr char kFdsPayload[] = "fds";
constexpr char kManifestPayload[] = "manifest";
// room for more descriptors than a well-behaved sender puts in one message,
// so that an over-full message is seen (MSG_CTRUNC) rather than cut silently
constexpr size_t kMaxFdsReceived = 253;

std::runtime_error system_error(const std::string& what) {
  return std::runtime_error(what + ": " + std::strerror(errno));
}

void send_message(int socket, const char* payload, const int* fds, size_t count) {
  struct iovec iov {
    const_cast<char*>(payload), std::strlen(payload)
  };
  std::vector<char> control(CMSG_SPACE(count * sizeof(int)));
  struct msghdr msg {};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  if (count > 0) {
    msg.msg_control = control.data();
    msg.msg_controllen = control.size();
    struct cmsghdr* cmsg = CMSG_FIRSTHDR(&msg);
    cmsg->cmsg_level = SOL_SOCKET;
    cmsg->cmsg_type = SCM_RIGHTS;
    cmsg->cmsg_len = CMSG_LEN(count * sizeof(int));
    std::memcpy(CMSG_DATA(cmsg), fds, count * sizeof(int));
  }
  while (sendmsg(socket, &msg, MSG_NOSIGNAL) < 0)
    if (errno != EINTR) throw system_error("cannot send descriptors to the agent");
}

void close_all(const std::vector<int>& fds) {
  for (int fd : fds) close(fd);
}

std::string read_manifest(int memfd) {
  struct stat st {};
  if (fstat(memfd, &st) < 0) throw system_error("cannot read the loader's manifest");
  // a regular file (memfd) only: reading a pipe or socket could block
  if (!S_ISREG(st.st_mode)) throw std::runtime_error("the loader's manifest is not a memfd");
  if (static_cast<uint64_t>(st.st_size) > kMaxManifestBytes)
    throw std::runtime_error("the loader's manifest is too large (" +
                             std::to_string(st.st_size) + " bytes)");
  std::string text(static_cast<size_t>(st.st_size), '\0');
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = pread(memfd, text.data() + done, text.size() - done, done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw system_error("cannot read the loader's manifest");
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  text.resize(done);
  return text;
}

// Waits for the next message until `deadline`.
void wait_readable(int socket, std::chrono::steady_clock::time_point deadline) {
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) throw LoaderTimeout("loader did not report in time");
    struct pollfd p {
      socket, POLLIN, 0
    };
    // round up: poll(…, 0) would spin for the last sub-millisecond
    int n = poll(&p, 1, static_cast<int>(std::min<int64_t>(left.count() + 1, 60 * 1000)));
    if (n < 0 && errno != EINTR) throw system_error("cannot wait for the loader");
    if (n > 0) return;  // readable, or hung up: recvmsg tells which
  }
}

}  // namespace

int text_memfd(const char* name, const std::string& text) {
  int fd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (fd < 0) throw system_error("cannot create a memfd");
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      close(fd);
      throw system_error("cannot write a memfd");
    }
    done += static_cast<size_t>(n);
  }
  // the reader takes the size once: nobody may change it after
  fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL);
  lseek(fd, 0, SEEK_SET);
  return fd;
}

void send_descriptors(int socket, const std::vector<int>& fds, int manifest_memfd) {
  for (size_t at = 0; at < fds.size(); at += kFdsPerMessage)
    send_message(socket, kFdsPayload, fds.data() + at, std::min(kFdsPerMessage, fds.size() - at));
  send_message(socket, kManifestPayload, &manifest_memfd, 1);
}

Received receive_descriptors(int socket, std::chrono::steady_clock::time_point deadline) {
  Received received;
  try {
    for (;;) {
      wait_readable(socket, deadline);
      char payload[16];
      struct iovec iov {
        payload, sizeof payload
      };
      alignas(struct cmsghdr) char control[CMSG_SPACE(kMaxFdsReceived * sizeof(int))];
      struct msghdr msg {};
      msg.msg_iov = &iov;
      msg.msg_iovlen = 1;
      msg.msg_control = control;
      msg.msg_controllen = sizeof control;
      ssize_t n = recvmsg(socket, &msg, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
      if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
      if (n < 0) throw system_error("cannot receive from the loader");
      // Take the descriptors first, so that they are closed on any error.
      std::vector<int> arrived;
      for (struct cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
        size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        for (size_t i = 0; i < count; i++) {
          int fd;
          std::memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof fd);
          arrived.push_back(fd);
        }
      }
      std::string kind(payload, n > 0 ? static_cast<size_t>(n) : 0);
      if (kind == kManifestPayload && arrived.size() == 1 && !(msg.msg_flags & MSG_CTRUNC)) {
        try {
          received.manifest = read_manifest(arrived[0]);
        } catch (...) {
          close(arrived[0]);
          throw;
        }
        close(arrived[0]);
        return received;
      }
      received.fds.insert(received.fds.end(), arrived.begin(), arrived.end());
      if (n == 0 && arrived.empty()) throw std::runtime_error("loader exited before reporting");
      if (msg.msg_flags & (MSG_CTRUNC | MSG_TRUNC))
        throw std::runtime_error("malformed message from the loader (truncated)");
      if (kind == kManifestPayload)
        throw std::runtime_error("malformed manifest message from the loader (" +
                                 std::to_string(arrived.size()) + " descriptors)");
      if (kind != kFdsPayload) throw std::runtime_error("unexpected message from the loader");
    }
  } catch (...) {
    close_all(received.fds);
    throw;
  }
}

}  // namespace bcc::loader
