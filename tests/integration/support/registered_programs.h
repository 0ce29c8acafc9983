// Programs registered at run time, as bcc.info.programs shows them.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "support/pcp_client.h"

namespace bcc::test {

// Every entry of bcc.info.programs.
nlohmann::json registered_programs(PcpClient& pcp);
// The entry named `name`, null when there is none.
nlohmann::json registered_program(PcpClient& pcp, const std::string& name);
// The entry once it has left the "compiling" state (waits up to 60 s).
nlohmann::json settled_program(PcpClient& pcp, const std::string& name);

}  // namespace bcc::test
