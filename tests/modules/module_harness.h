// Runs a built-in module the way the agent does, on FakeMaps: its section
// (from bcc.conf text), its configure hooks, then fetches (fetch_values).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "config/ini.h"
#include "fake_maps.h"
#include "module/fetch.h"
#include "module/interval_epochs.h"
#include "module/options.h"
#include "module/registry.h"

namespace bcc::testing {

// u64 values by instance name, as one metric's samples of a fetch give them.
using Values = std::map<std::string, uint64_t>;
inline Values by_instance(const std::vector<Sample>& samples) {
  Values out;
  for (const Sample& s : samples) out[s.instance] = std::get<uint64_t>(s.value);
  return out;
}

// Whether `list` (a module's defines, say) holds `item`.
inline bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

class ModuleHarness {
 public:
  // `keys`: the section's keys besides `module`, as bcc.conf lines ("process = 1\n").
  // Throws what the module's configuration throws (config::ConfigError).
  explicit ModuleHarness(const std::string& type, const std::string& keys = "")
      : spec_(make(type)),
        file_(config::parse_ini_text("[m]\nmodule = " + type + "\n" + keys, "bcc.conf")),
        options_(file_, file_.sections.at(0), spec_.options()) {
    spec_.configure(options_);
  }

  // One fetch: every metric's samples, by metric name ("proc.net.tcp.send.calls").
  // Fails the test on a hook or reader that throws.
  std::map<std::string, std::vector<Sample>> fetch() {
    std::vector<std::vector<Sample>> values;
    for (const FetchError& e : fetch_values(spec_, maps, {}, values))
      ADD_FAILURE() << (e.metric.empty() ? "before reading" : e.metric) << ": " << e.what;
    std::map<std::string, std::vector<Sample>> out;
    for (size_t i = 0; i < values.size(); i++) out[spec_.metrics()[i].name] = values[i];
    return out;
  }

  // One fetch of a module that shows the last complete interval of
  // `interval_seconds` (src/module/interval_epochs.h): `fill` sets the maps'
  // entries for `current`, the epoch the program would count into now; they
  // are set and fetched again when the clock crosses into the next interval
  // during the fetch, so that what the test expects holds whatever the time.
  std::map<std::string, std::vector<Sample>> fetch_in_one_interval(
      uint64_t interval_seconds, const std::function<void(uint64_t current)>& fill) {
    const uint64_t interval_ns = interval_seconds * 1000000000ull;
    for (;;) {
      uint64_t current = kernel_monotonic_ns() / interval_ns;
      fill(current);
      auto values = fetch();
      if (kernel_monotonic_ns() / interval_ns == current) return values;
    }
  }

  const ModuleSpec& spec() const { return spec_; }
  const ModuleOptions& options() const { return options_; }
  FakeMaps maps;

 private:
  static ModuleSpec make(const std::string& type) {
    const ModuleFactory* factory = Registry::builtin().find(type);
    if (!factory) throw std::runtime_error("no built-in module '" + type + "'");
    return (*factory)();
  }
  ModuleSpec spec_;
  config::IniFile file_;
  ModuleOptions options_;
};

}  // namespace bcc::testing
