// The name of a program registered at run time: from its "// name: x"
// annotation, or generated. It names the metrics (bcc.custom.<name>.*) and
// the program in bcc.info.programs and bcc.control.deregister.
#pragma once

#include <optional>
#include <set>
#include <string>

namespace bcc::dynamic {

// The value of the first "// name: x" comment line of `source`, if any.
std::optional<std::string> annotated_name(const std::string& source);

// "" when `name` can name a program (and a PCP name component): a lower-case
// letter, then up to 31 lower-case letters, digits or '_'; otherwise why not.
std::string name_problem(const std::string& name);

// Names for programs without an annotation: "prog1", "prog2", ... never
// one that is taken, and never the same twice in the agent's life (a client
// still holding an old name must not read a newer program's values).
class NameGenerator {
 public:
  std::string next(const std::set<std::string>& taken);

 private:
  unsigned counter_ = 0;
};

}  // namespace bcc::dynamic
