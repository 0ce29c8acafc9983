#include "support/traffic.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>
#include <vector>

namespace bcc::test {

namespace {

int bound_port(int fd) {
  sockaddr_in a{};
  socklen_t len = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  return ntohs(a.sin_port);
}

}  // namespace

TcpSession loopback_tcp_session(int bytes) {
  TcpSession s;
  int listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (listener < 0 || bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      listen(listener, 1) != 0) {
    s.error = std::string("listen on 127.0.0.1: ") + strerror(errno);
    if (listener >= 0) close(listener);
    return s;
  }
  s.server_port = bound_port(listener);
  addr.sin_port = htons(static_cast<uint16_t>(s.server_port));

  std::thread server([listener, bytes] {
    int conn = accept(listener, nullptr, nullptr);
    if (conn < 0) return;
    std::vector<char> buf(65536);
    for (int got = 0; got < bytes;) {
      ssize_t n = read(conn, buf.data(), buf.size());
      if (n <= 0) break;
      got += static_cast<int>(n);
    }
    close(conn);
  });
  int client = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (client < 0 || connect(client, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    s.error = std::string("connect to 127.0.0.1: ") + strerror(errno);
  } else {
    s.client_port = bound_port(client);
    std::vector<char> data(static_cast<size_t>(bytes), 'b');
    for (size_t sent = 0; sent < data.size();) {
      ssize_t n = write(client, data.data() + sent, data.size() - sent);
      if (n <= 0) {
        s.error = std::string("send: ") + strerror(errno);
        break;
      }
      sent += static_cast<size_t>(n);
    }
  }
  if (client >= 0) close(client);
  if (!s.error.empty()) shutdown(listener, SHUT_RDWR);  // unblocks accept
  server.join();
  close(listener);
  return s;
}

}  // namespace bcc::test
