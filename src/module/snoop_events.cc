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
      .option(event_count_option(what))
      .option(buffer_pages_option(pages, "bcc." + spec.type() + ".lost"))
      .option(pid_option("only this process id (pmdabpf's option)"))
      .defines_from(id_filter_defines)
      .process_filter()
      .events("events", "buffer_page_count");
}

}  // namespace bcc
