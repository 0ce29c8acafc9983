// Network and process work for the event-table modules (tcplife, execsnoop).
#pragma once

#include <string>

namespace bcc::test {

struct TcpSession {
  int server_port = 0;
  int client_port = 0;
  std::string error;  // "" when the session ran
};

// One TCP session over 127.0.0.1: a client connects to a listener of its
// own, sends `bytes`, the server reads them all, both close.
TcpSession loopback_tcp_session(int bytes);

}  // namespace bcc::test
