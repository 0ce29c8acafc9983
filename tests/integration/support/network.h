// Real traffic on loopback for the network modules: TCP sessions and UDP
// datagrams of known sizes, between sockets of this process.
#pragma once

#include <sys/socket.h>

#include <cstdint>
#include <string>

namespace bcc::test {

// A listening TCP socket on the loopback address of `family` (AF_INET or
// AF_INET6), on `port` or a free one when 0.
class TcpListener {
 public:
  explicit TcpListener(int family = AF_INET, uint16_t port = 0);
  ~TcpListener();
  TcpListener(const TcpListener&) = delete;
  TcpListener& operator=(const TcpListener&) = delete;

  uint16_t port() const { return port_; }
  int family() const { return family_; }
  int fd() const { return fd_; }

 private:
  int family_;
  int fd_ = -1;
  uint16_t port_ = 0;
};

struct TcpSession {
  uint16_t client_port = 0;  // the client's local port
  uint16_t server_port = 0;
  std::string error;         // "" when the exchange completed
};

// An open connection through `listener`, both ends in this process.
struct TcpPair {
  int client = -1;
  int server = -1;
  uint16_t client_port = 0;
  std::string error;
  void close_both();
};
TcpPair tcp_connect(const TcpListener& listener);

// Writes `bytes` bytes; reads exactly `bytes` bytes. False on an error.
bool send_bytes(int fd, size_t bytes);
bool receive_bytes(int fd, size_t bytes);

// One TCP session through `listener`: the client sends `client_bytes`, the
// server reads them all and answers `server_bytes`; the server closes first,
// then the client (so the client's side of the session closes last).
TcpSession tcp_exchange(const TcpListener& listener, size_t client_bytes, size_t server_bytes);

// A short-lived client: a process of its own connects to `listener`, sends
// `bytes` in one write, closes and exits; this process accepts, reads them
// all, and reaps it. `pid` is the client's, gone when this returns.
struct ShortClient {
  int pid = -1;
  std::string error;  // "" when it sent everything and exited
};
ShortClient short_lived_tcp_client(const TcpListener& listener, size_t bytes);

// `count` client connections to `listener`, accepted, then all aborted at
// once (SO_LINGER 0: straight to TCP_CLOSE) by two threads per CPU: a burst
// of 2 x count closed sessions within a few milliseconds. Returns "" or what
// failed.
std::string tcp_abort_burst(const TcpListener& listener, int count);

// `count` datagrams of `bytes` each from one UDP socket to another on
// 127.0.0.1, each received. Returns "" or what failed.
std::string udp_exchange(size_t bytes, int count);

}  // namespace bcc::test
