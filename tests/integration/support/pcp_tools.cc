#include "support/pcp_tools.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pcp/pmapi.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "support/pcp_client.h"

namespace bcc::test {

std::string pcp_conf(const char* name) {
  const char* value = pmGetConfig(name);
  return value ? value : "";
}

void use_system_tools() {
  const char* path = getenv("PATH");
  std::string system = "/usr/sbin:/usr/bin:/sbin:/bin";
  setenv("PATH", (system + ":" + (path ? path : "")).c_str(), 1);
}

std::string pminfo_pmid(const std::string& metric) {
  // "bcc.runq.latency PMID: 149.4.0"
  std::string out = run("pminfo -m " + metric + " 2>&1");
  size_t at = out.find(" PMID: ");
  if (at == std::string::npos) return out;
  std::string pmid = out.substr(at + 7);
  return pmid.substr(0, pmid.find_first_of(" \n"));
}

TempDir::TempDir(const std::string& tag) {
  std::string pattern = "/var/tmp/pmdabcc-" + tag + "-XXXXXX";
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp " + pattern);
  path_ = pattern;
  chmod(path_.c_str(), 0755);
}

TempDir::~TempDir() {
  if (!path_.empty()) run("rm -rf '" + path_ + "'");
}

void write_text(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path);
}

double env_number(const char* name, double fallback) {
  const char* value = getenv(name);
  return value && *value ? atof(value) : fallback;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

int free_loopback_port() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0)
    throw std::runtime_error("no free port on 127.0.0.1");
  close(fd);
  return ntohs(a.sin_port);
}

}  // namespace bcc::test
