#include "support/network.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <thread>
#include <vector>

namespace bcc::test {

namespace {

socklen_t loopback(int family, uint16_t port, sockaddr_storage& addr) {
  memset(&addr, 0, sizeof(addr));
  if (family == AF_INET6) {
    auto* a = reinterpret_cast<sockaddr_in6*>(&addr);
    a->sin6_family = AF_INET6;
    a->sin6_addr = in6addr_loopback;
    a->sin6_port = htons(port);
    return sizeof(sockaddr_in6);
  }
  auto* a = reinterpret_cast<sockaddr_in*>(&addr);
  a->sin_family = AF_INET;
  a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a->sin_port = htons(port);
  return sizeof(sockaddr_in);
}

uint16_t local_port(int fd) {
  sockaddr_storage addr{};
  socklen_t len = sizeof(addr);
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return 0;
  if (addr.ss_family == AF_INET6) return ntohs(reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port);
  return ntohs(reinterpret_cast<sockaddr_in*>(&addr)->sin_port);
}

std::string failed(const char* what) { return std::string(what) + ": " + strerror(errno); }

int connect_to(const TcpListener& listener) {
  int fd = socket(listener.family(), SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_storage addr;
  socklen_t len = loopback(listener.family(), listener.port(), addr);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), len) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

bool write_all(int fd, size_t bytes) {
  std::vector<char> data(bytes, 'x');
  size_t done = 0;
  while (done < bytes) {
    ssize_t n = write(fd, data.data() + done, bytes - done);
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

// Reads until `bytes` arrived (or, with bytes = SIZE_MAX, until end of file).
bool read_all(int fd, size_t bytes) {
  char buffer[65536];
  size_t done = 0;
  while (done < bytes) {
    size_t want = bytes == SIZE_MAX ? sizeof(buffer) : std::min(sizeof(buffer), bytes - done);
    ssize_t n = read(fd, buffer, want);
    if (n < 0) return false;
    if (n == 0) return bytes == SIZE_MAX;
    done += static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

TcpListener::TcpListener(int family, uint16_t port) : family_(family) {
  fd_ = socket(family, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_storage addr;
  socklen_t len = loopback(family, port, addr);
  if (bind(fd_, reinterpret_cast<sockaddr*>(&addr), len) != 0 || listen(fd_, 1024) != 0) {
    close(fd_);
    fd_ = -1;
    return;
  }
  port_ = local_port(fd_);
}

TcpListener::~TcpListener() {
  if (fd_ >= 0) close(fd_);
}

void TcpPair::close_both() {
  if (client >= 0) close(client);
  if (server >= 0) close(server);
  client = server = -1;
}

TcpPair tcp_connect(const TcpListener& listener) {
  TcpPair pair;
  pair.client = connect_to(listener);
  if (pair.client < 0) {
    pair.error = failed("connect");
    return pair;
  }
  pair.client_port = local_port(pair.client);
  pair.server = accept(listener.fd(), nullptr, nullptr);
  if (pair.server < 0) pair.error = failed("accept");
  return pair;
}

bool send_bytes(int fd, size_t bytes) { return write_all(fd, bytes); }
bool receive_bytes(int fd, size_t bytes) { return read_all(fd, bytes); }

TcpSession tcp_exchange(const TcpListener& listener, size_t client_bytes, size_t server_bytes) {
  TcpSession session;
  session.server_port = listener.port();
  if (listener.fd() < 0) return {0, 0, "no listener"};
  int client = connect_to(listener);
  if (client < 0) return {0, 0, failed("connect")};
  session.client_port = local_port(client);
  int server = accept(listener.fd(), nullptr, nullptr);
  if (server < 0) {
    close(client);
    return {0, 0, failed("accept")};
  }
  if (!write_all(client, client_bytes)) session.error = failed("client write");
  if (session.error.empty() && !read_all(server, client_bytes)) session.error = failed("server read");
  if (session.error.empty() && !write_all(server, server_bytes)) session.error = failed("server write");
  close(server);  // the server closes first ...
  if (session.error.empty() && !read_all(client, SIZE_MAX)) session.error = failed("client read");
  close(client);  // ... and the client last, once it saw everything and the end
  return session;
}

ShortClient short_lived_tcp_client(const TcpListener& listener, size_t bytes) {
  ShortClient out;
  if (listener.fd() < 0) return {-1, "no listener"};
  out.pid = fork();
  if (out.pid < 0) return {-1, failed("fork")};
  if (out.pid == 0) {
    int fd = connect_to(listener);
    bool sent = fd >= 0 && write_all(fd, bytes);
    if (fd >= 0) close(fd);
    _exit(sent ? 0 : 1);
  }
  int server = accept(listener.fd(), nullptr, nullptr);
  if (server < 0) out.error = failed("accept");
  if (out.error.empty() && !read_all(server, bytes)) out.error = failed("server read");
  if (out.error.empty() && !read_all(server, SIZE_MAX)) out.error = failed("server read to the end");
  if (server >= 0) close(server);
  int status = 0;
  if (waitpid(out.pid, &status, 0) != out.pid) {
    out.error = failed("waitpid");
  } else if (out.error.empty() && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
    out.error = "the client failed to connect or send";
  }
  return out;
}

std::string tcp_abort_burst(const TcpListener& listener, int count) {
  std::vector<int> fds;
  std::string error;
  for (int i = 0; i < count && error.empty(); i++) {
    int client = connect_to(listener);
    if (client < 0) {
      error = failed("connect");
      break;
    }
    fds.push_back(client);
    int server = accept(listener.fd(), nullptr, nullptr);
    if (server < 0) error = failed("accept");
    else fds.push_back(server);
  }
  linger abort{1, 0};
  for (int fd : fds) setsockopt(fd, SOL_SOCKET, SO_LINGER, &abort, sizeof(abort));
  // closed by two threads per CPU at once: every CPU is busy producing events,
  // leaving little room for whoever reads them
  unsigned threads = 2 * std::max(1u, std::thread::hardware_concurrency());
  std::atomic<bool> go{false};
  std::vector<std::thread> closers;
  for (unsigned t = 0; t < threads; t++)
    closers.emplace_back([&, t] {
      while (!go) {
      }
      for (size_t i = t; i < fds.size(); i += threads) close(fds[i]);
    });
  go = true;
  for (auto& c : closers) c.join();
  return error;
}

std::string udp_exchange(size_t bytes, int count) {
  int receiver = socket(AF_INET, SOCK_DGRAM, 0);
  int sender = socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_storage addr;
  socklen_t len = loopback(AF_INET, 0, addr);
  std::string error;
  if (bind(receiver, reinterpret_cast<sockaddr*>(&addr), len) != 0) error = failed("bind");
  len = loopback(AF_INET, local_port(receiver), addr);
  std::vector<char> data(bytes, 'u');
  for (int i = 0; i < count && error.empty(); i++) {
    if (sendto(sender, data.data(), bytes, 0, reinterpret_cast<sockaddr*>(&addr), len) !=
        static_cast<ssize_t>(bytes))
      error = failed("sendto");
    else if (recv(receiver, data.data(), bytes, 0) != static_cast<ssize_t>(bytes))
      error = failed("recv");
  }
  close(sender);
  close(receiver);
  return error;
}

}  // namespace bcc::test
