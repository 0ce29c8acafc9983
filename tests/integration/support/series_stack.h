// PCP's web and time-series services, started by the test on loopback
// ports of its own: redis-server (the series store) and pmproxy (REST APIs,
// and discovery of the archives pmlogger writes under `archives()`).
#pragma once

#include <string>

#include "support/background.h"

namespace bcc::test {

class SeriesStack {
 public:
  // Folders and logs go below `dir`; nothing is started yet.
  explicit SeriesStack(std::string dir);
  ~SeriesStack() { stop(); }

  // Starts both and waits until pmproxy answers; "" or what went wrong.
  std::string start();
  void stop();

  // http://127.0.0.1:PORT + path_and_query
  std::string url(const std::string& path_and_query) const;
  int redis_port() const { return redis_port_; }
  // pmproxy ingests archives that grow below this folder (its
  // PCP_ARCHIVE_DIR), one sub-folder per host as pmlogger_farm lays them out.
  std::string archives() const { return dir_ + "/archives"; }
  std::string pmproxy_log() const;

 private:
  std::string dir_;
  int redis_port_ = 0, http_port_ = 0;
  Background redis_, pmproxy_;
};

}  // namespace bcc::test
