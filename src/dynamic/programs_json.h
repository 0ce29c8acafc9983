// bcc.info.programs: the programs registered at run time as a JSON list,
// [{"name": ..., "state": ..., "error": ..., "metrics": [...]}, ...].
#pragma once

#include <string>
#include <vector>

namespace bcc::dynamic {

struct ProgramInfo {
  std::string name;
  std::string state;  // compiling, active, partial, failed
  std::string error;  // the compiler's or attach error, "" when none
  std::vector<std::string> metrics;  // full names
  bool named = false;                // from an annotation (no expiry)
};

std::string programs_json(const std::vector<ProgramInfo>& programs);

}  // namespace bcc::dynamic
