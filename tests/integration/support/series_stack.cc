#include "support/series_stack.h"

#include "support/http_client.h"
#include "support/pcp_client.h"
#include "support/pcp_tools.h"
#include "support/wait.h"

namespace bcc::test {

SeriesStack::SeriesStack(std::string dir) : dir_(std::move(dir)) {}

std::string SeriesStack::start() {
  redis_port_ = free_loopback_port();
  http_port_ = free_loopback_port();
  run("mkdir -p " + archives() + " " + dir_ + "/redis && chmod 755 " + archives());
  // a store of the test's own: loopback only, in memory, nothing saved
  write_text(dir_ + "/redis.conf", "bind 127.0.0.1\nport " + std::to_string(redis_port_) +
                                       "\nprotected-mode yes\nsave \"\"\nappendonly no\n"
                                       "daemonize no\ndir " + dir_ + "/redis\n");
  if (!redis_.start({"redis-server", dir_ + "/redis.conf"}, dir_ + "/redis.log"))
    return redis_.error();
  std::string ping = "redis-cli -h 127.0.0.1 -p " + std::to_string(redis_port_) + " ping 2>&1";
  if (!wait_until([&] { return run(ping).find("PONG") != std::string::npos; }, 10))
    return "redis-server did not answer: " + read_text(dir_ + "/redis.log");

  write_text(dir_ + "/pmproxy.conf",
             "[pmproxy]\npcp.enabled = true\nhttp.enabled = true\nredis.enabled = false\n"
             "secure.enabled = false\n"
             "[redis]\nenabled = true\nservers = 127.0.0.1:" + std::to_string(redis_port_) + "\n"
             "[discover]\nenabled = true\n"
             "[pmseries]\nenabled = true\n"
             "[pmsearch]\nenabled = false\n");
  // as user pcp, as Debian's pmproxy runs (in the foreground, pmproxy keeps
  // the identity it was started with): its contexts reach agents as pcp
  run("chown -R pcp:pcp " + dir_);
  if (!pmproxy_.start({"setpriv", "--reuid=pcp", "--regid=pcp", "--init-groups", "--",
                       pcp_conf("PCP_BINADM_DIR") + "/pmproxy", "-f", "-A", "-i", "127.0.0.1", "-p",
                       std::to_string(http_port_), "-s", dir_ + "/pmproxy.socket", "-c",
                       dir_ + "/pmproxy.conf", "-l", dir_ + "/pmproxy.log"},
                      dir_ + "/pmproxy.out", {"PCP_ARCHIVE_DIR=" + archives()}))
    return pmproxy_.error();
  if (!wait_until([&] { return http_get(url("/pmapi/context")).status == 200; }, 15))
    return "pmproxy did not answer on port " + std::to_string(http_port_) + ": " + pmproxy_log();
  return "";
}

void SeriesStack::stop() {
  pmproxy_.stop();
  redis_.stop();
}

std::string SeriesStack::url(const std::string& path_and_query) const {
  return "http://127.0.0.1:" + std::to_string(http_port_) + path_and_query;
}

std::string SeriesStack::pmproxy_log() const { return read_text(dir_ + "/pmproxy.log"); }

}  // namespace bcc::test
