#include "module/snoop_events.h"

#include "module/id_filters.h"
#include "module/options.h"
#include "module/table_columns.h"

namespace bcc {

std::string newest_events_help(const std::string& what) {
  return " Instances \"0\" (the newest " + what +
         ") to \"N-1\", N being the 'process_count' option.";
}

ModuleSpec& snoop_events(ModuleSpec& spec, const std::string& what, uint64_t pages) {
  return spec
      .option(number_option("process_count", 20, "how many recent " + what + " to keep", 1,
                            100000))
      .option(number_option("buffer_page_count", pages,
                            "perf buffer pages per CPU, a power of two; raise it when "
                            "lost events are counted",
                            1, 1 << 20))
      .option(pid_option("only this process id (pmdabpf's option)"))
      .defines_from(id_filter_defines)
      .process_filter()
      .events("events", "buffer_page_count");
}

}  // namespace bcc
