#include "support/pmcd_service.h"

#include <dirent.h>
#include <fcntl.h>

#include <cstdlib>
#include <vector>

#include "support/pcp_client.h"

namespace bcc::test {

void close_inherited_on_exec() {
  std::vector<int> fds;
  if (DIR* dir = opendir("/proc/self/fd")) {
    while (dirent* entry = readdir(dir)) {
      int fd = atoi(entry->d_name);
      if (fd > 2 && fd != dirfd(dir)) fds.push_back(fd);
    }
    closedir(dir);
  }
  for (int fd : fds) {
    int flags = fcntl(fd, F_GETFD);
    if (flags >= 0) fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
  }
}

std::string restart_pmcd(int* status) {
  close_inherited_on_exec();
  bool systemd = run("cat /proc/1/comm 2>/dev/null") == "systemd\n";
  // PCP's tools want /usr/bin/python3 first on PATH
  return run(systemd ? "systemctl restart pmcd 2>&1"
                     : "PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH /etc/init.d/pmcd restart 2>&1",
             status);
}

}  // namespace bcc::test
