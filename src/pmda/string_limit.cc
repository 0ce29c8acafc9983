#include "pmda/string_limit.h"

namespace bcc {

const std::string& within_string_limit(const std::string& value) {
  if (value.size() <= kMaxStringValue) return value;
  thread_local std::string marker;
  marker = "{\"error\": \"value of " + std::to_string(value.size()) +
           " bytes is over PCP's 16 MiB limit for one value: not sent\"}";
  return marker;
}

}  // namespace bcc
