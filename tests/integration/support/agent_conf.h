// Pieces of the bcc.conf files the integration suites write.
#pragma once

#include <string>

namespace bcc::test {

// "[name]\nmodule = type\ncluster = N\n" and any extra "key = value" lines.
std::string conf_section(const std::string& name, const std::string& type, unsigned cluster,
                         const std::string& extra_lines = "");

// runqlat and biolatency, the shipped configuration's modules, with the
// Python agent's clusters.
std::string runqlat_and_biolatency();

}  // namespace bcc::test
