#include "module/record_rows.h"

namespace bcc {

OptionSpec event_count_option(const std::string& what) {
  return number_option("process_count", 20, "how many recent " + what + " to keep", 1, 100000);
}

OptionSpec buffer_pages_option(uint64_t default_pages, const std::string& lost_metric) {
  return number_option("buffer_page_count", default_pages,
                       "perf buffer pages per CPU, a power of two; raise it when " +
                           lost_metric + " grows",
                       1, 1 << 20);
}

}  // namespace bcc
