#include "dynamic/programs_json.h"

#include <nlohmann/json.hpp>

namespace bcc::dynamic {

std::string programs_json(const std::vector<ProgramInfo>& programs) {
  nlohmann::json list = nlohmann::json::array();
  for (const ProgramInfo& p : programs)
    list.push_back({{"name", p.name},
                    {"state", p.state},
                    {"error", p.error},
                    {"metrics", p.metrics},
                    {"expires", !p.named}});
  // invalid UTF-8 in a compiler message must not make the whole list fail
  return list.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace bcc::dynamic
