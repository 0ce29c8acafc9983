// bashreadline: the most recent command lines typed into bash, as pmdabpf's
// module of the same name shows them (the same names below bcc., types,
// semantics and units): the line is in `comm`, a name kept so that what
// reads pmdabpf's metric reads ours.
#include <memory>
#include <string>
#include <vector>

#include "bashreadline.h"
#include "bpf/binaries.h"
#include "module/options.h"
#include "module/recent_events.h"
#include "module/record_rows.h"
#include "module/registry.h"
#include "module/table_columns.h"

static_assert(sizeof(bashreadline_line) == 84,
              "bashreadline_line: the record bashreadline.bpf sends");

namespace {

using namespace bcc;

enum Column { line, pid };

// The metric of each column, in Column order.
const std::vector<std::string> kColumns = {"bashreadline.comm", "bashreadline.pid"};
const char* const kLost = "bashreadline.lost";

std::vector<Value> row(const bashreadline_line& l) {
  std::vector<Value> r(kColumns.size());
  r[line] = c_string(l.line);
  r[pid] = uint64_t{l.pid};
  return r;
}

// Where readline() is: the binary the option names when it defines it
// (bash links readline in), else the system's libreadline, as pmdabpf
// looks for it; the option's path as given when neither (attaching then
// fails, saying so).
std::string readline_binary(const std::string& binary) {
  if (binary_has_symbol(binary, "readline")) return binary;
  std::string library = library_in_ld_cache("readline");
  return library.empty() ? binary : library;
}

OptionSpec binary_option() {
  OptionSpec o = text_option("binary",
                             "the file whose readline() is probed: bash, which has readline "
                             "built in, or a libreadline; when it does not define readline, "
                             "the system's libreadline");
  o.default_value = "/bin/bash";
  return o;
}

const char* const kWhich =
    " Instances \"0\" (the most recent line) to \"N-1\", N being the 'process_count' option.";

ModuleSpec bashreadline() {
  return ModuleSpec("bashreadline")
      .summary("command lines typed into bash, most recent first")
      .program("bashreadline.bpf")
      .option(binary_option())
      .option(event_count_option("lines"))
      .option(buffer_pages_option(16, "bcc.bashreadline.lost"))
      .process_filter()
      .probes_from([](const ModuleOptions& options, const std::vector<int>&) {
        return std::vector<ProbeChain>{
            {"readline",
             {uretprobe(readline_binary(options.text("binary")), "readline",
                        "bash_readline_return")}}};
      })
      .events("events", "buffer_page_count")
      // the lines the program reports, newest first
      .collector(std::make_shared<RecordRows<bashreadline_line>>("process_count", kColumns,
                                                                 kLost, row))
      .metric(column_metric(kColumns[line], PM_TYPE_STRING, no_units(), "Command name",
                            std::string("The command line typed (what readline() returned, "
                                        "at most 79 bytes, as typed: spaces and control "
                                        "characters included), in a process named bash. "
                                        "The name is pmdabpf's, whose metric holds the "
                                        "line too.") + kWhich))
      .metric(column_metric(kColumns[pid], PM_TYPE_U32, no_units(), "Process identifier",
                            std::string("Process id of the bash that read the line.") + kWhich,
                            PM_SEM_DISCRETE))
      .metric(lost_events_metric(kLost))
      .instances_help("the most recent lines typed into bash, \"0\" the newest");
}

const bool registered = register_module("bashreadline", bashreadline);

}  // namespace
