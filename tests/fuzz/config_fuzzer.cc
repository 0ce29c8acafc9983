// bcc.conf parsing and validation: any bytes give a configuration or a
// ConfigError, never a crash.
#include <cstdint>
#include <string>

#include "config/agent_config.h"
#include "module/options.h"

namespace {

const std::vector<bcc::OptionSpec>& sample_options() {
  static const std::vector<bcc::OptionSpec> options{
      bcc::flag_option("queued", ""), bcc::number_option("session_count", 20, "", 1, 1000),
      bcc::text_option("process", ""), bcc::list_option("dport", "")};
  return options;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    auto cfg = bcc::config::make_agent_config(bcc::config::parse_ini_text(text, "bcc.conf"),
                                              {"biolatency", "runqlat"});
    for (const auto& m : cfg.modules)
      if (m.problem.empty()) bcc::ModuleOptions options(cfg.ini, *m.section, sample_options());
  } catch (const bcc::config::ConfigError&) {
  }
  return 0;
}
