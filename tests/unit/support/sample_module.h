// A module declaration whose probes and defines depend on a flag, and its
// options from bcc.conf text: for the tests of ModuleOptions and ModuleSpec.
#pragma once

#include <string>
#include <vector>

#include "bpf/probe.h"
#include "config/ini.h"
#include "module/options.h"
#include "module/spec.h"

namespace bcc::testing {

inline ModuleSpec sample_spec() {
  return ModuleSpec("sample")
      .option(flag_option("queued", "q"))
      .option(number_option("count", 20, "n", 1, 100))
      .probe("a", {tracepoint("x:a")})
      .probe_if("queued", "b", {tracepoint("x:b")})
      .probe_unless("queued", "c", {tracepoint("x:c")})
      .define_if("queued", "QUEUED");
}

inline ModuleOptions options_of(const std::string& body) {
  static std::vector<config::IniFile> keep;  // sections are referenced, keep files alive
  keep.push_back(config::parse_ini_text("[s]\nmodule = sample\ncluster = 1\n" + body, "bcc.conf"));
  return ModuleOptions(keep.back(), *keep.back().find("s"), sample_spec().options());
}

}  // namespace bcc::testing
