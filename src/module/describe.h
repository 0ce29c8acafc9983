// A module type described for people, from its declaration alone: what
// `pmdabcc --describe TYPE` prints and what the shipped bcc.conf's comments
// above each section say of its options (scripts/update-conf-options writes
// them there; a test checks that they agree).
#pragma once

#include <string>

#include "module/spec.h"

namespace bcc {

// The options of a section of this type as bcc.conf comments:
//   # Options:
//   # name - kind - default : help, wrapped under itself
// without the keys every section or every process filter takes (documented
// once at the top of bcc.conf); "" for a module without options of its own.
std::string options_comment(const ModuleSpec& spec);

// The summary, the options comment and the metrics (name and one-line help).
std::string describe_module(const ModuleSpec& spec, const std::string& prefix);

}  // namespace bcc
