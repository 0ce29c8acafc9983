#include "support/registered_programs.h"

#include "support/wait.h"

namespace bcc::test {

using nlohmann::json;

json registered_programs(PcpClient& pcp) {
  return json::parse(pcp.strings("bcc.info.programs")[""]);
}

json registered_program(PcpClient& pcp, const std::string& name) {
  for (const json& p : registered_programs(pcp))
    if (p["name"] == name) return p;
  return json();
}

json settled_program(PcpClient& pcp, const std::string& name) {
  json p;
  wait_until([&] {
    p = registered_program(pcp, name);
    return !p.is_null() && p["state"] != "compiling";
  }, 60);
  return p;
}

}  // namespace bcc::test
