#include "support/agent_conf.h"

namespace bcc::test {

std::string conf_section(const std::string& name, const std::string& type, unsigned cluster,
                         const std::string& extra_lines) {
  return "\n[" + name + "]\nmodule = " + type + "\ncluster = " + std::to_string(cluster) + "\n" +
         extra_lines;
}

std::string runqlat_and_biolatency() {
  return conf_section("runqlat", "runqlat", 4) + conf_section("biolatency", "biolatency", 0);
}

}  // namespace bcc::test
