// The maps of a loaded program, by the names its text gives them: what
// readers, stores and process filters work on. A loaded Program is one; unit
// tests fake it.
#pragma once

#include <string>

namespace bcc {

class Maps {
 public:
  virtual ~Maps() = default;
  // The descriptor of map `name`; throws std::runtime_error naming the map
  // when the program has none of that name.
  virtual int fd(const std::string& name) const = 0;
};

}  // namespace bcc
