// Running PCP's own command-line tools from a test, as an operator would.
#pragma once

#include <string>

namespace bcc::test {

// A value of /etc/pcp.conf ("PCP_VAR_DIR", ...), as PCP resolves it.
std::string pcp_conf(const char* name);

// PCP's Python tools (pmrep, pmlogconf's helpers...) need /usr/bin/python3:
// puts the system directories first on PATH for this process and the
// commands it runs.
void use_system_tools();

// The PMID `pminfo -m` shows for `metric` ("149.4.0"), or its output when
// it shows none.
std::string pminfo_pmid(const std::string& metric);

// A fresh folder under /var/tmp, readable by the pcp user (pmproxy drops
// to it), removed with everything in it when the object goes.
class TempDir {
 public:
  explicit TempDir(const std::string& tag);
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

void write_text(const std::string& path, const std::string& text);
std::string read_text(const std::string& path);

// The number in environment variable `name` (a long form's size), or
// `fallback` when it is unset or empty.
double env_number(const char* name, double fallback);

// A TCP port on 127.0.0.1 that nothing listens on now.
int free_loopback_port();

}  // namespace bcc::test
