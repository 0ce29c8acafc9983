// oomkill: the most recent victims of the OOM killer, and the process that
// was running when each was chosen, as pmdabpf's module of the same name
// shows them (the same names below bcc., types, semantics and units; its
// `pages`, the OOM domain's size, is not reachable from the tracepoint).
#include <memory>
#include <string>
#include <vector>

#include "module/options.h"
#include "module/recent_events.h"
#include "module/record_rows.h"
#include "module/registry.h"
#include "module/table_columns.h"
#include "oomkill.h"

static_assert(sizeof(oomkill_event) == 48, "oomkill_event: the record oomkill.bpf sends");

namespace {

using namespace bcc;

enum Column { fpid, fcomm, tpid, tcomm, uid };

// The metric of each column, in Column order.
const std::vector<std::string> kColumns = {"oomkill.fpid", "oomkill.fcomm", "oomkill.tpid",
                                           "oomkill.tcomm", "oomkill.uid"};
const char* const kLost = "oomkill.lost";

std::vector<Value> row(const oomkill_event& e) {
  std::vector<Value> r(kColumns.size());
  r[fpid] = uint64_t{e.fpid};
  r[fcomm] = c_string(e.fcomm);
  r[tpid] = uint64_t{e.tpid};
  r[tcomm] = c_string(e.tcomm);
  r[uid] = uint64_t{e.uid};
  return r;
}

MetricSpec column(Column c, int type, int semantics, const char* oneline, std::string help) {
  return column_metric(kColumns[c], type, no_units(), oneline,
                       help + " Instances \"0\" (the most recent OOM kill) to \"N-1\", N "
                              "being the 'process_count' option.",
                       semantics);
}

ModuleSpec oomkill() {
  return ModuleSpec("oomkill")
      .summary("OOM killer victims, most recent first")
      .program("oomkill.bpf")
      .option(event_count_option("OOM kills"))
      .option(buffer_pages_option(16, "bcc.oomkill.lost"))
      .btf_offset("TGID_OFFSET", "task_struct", "tgid")
      .btf_offset("COMM_OFFSET", "task_struct", "comm")
      .btf_offset("MARK_VICTIM_UID_OFFSET", "trace_event_raw_mark_victim", "uid")
      .probe("victim", {raw_tracepoint("mark_victim")})
      .events("events", "buffer_page_count")
      // the victims the program reports, newest first
      .collector(std::make_shared<RecordRows<oomkill_event>>("process_count", kColumns, kLost,
                                                             row))
      .metric(column(fpid, PM_TYPE_U32, PM_SEM_DISCRETE, "Triggered by PID",
                     "Process id of the task that was running when another was chosen as the "
                     "OOM killer's victim: the one whose memory allocation failed (the victim "
                     "itself when it was already exiting)."))
      .metric(column(fcomm, PM_TYPE_STRING, PM_SEM_INSTANT, "Triggered by COMM",
                     "Command name of that task (at most 15 characters)."))
      .metric(column(tpid, PM_TYPE_U32, PM_SEM_DISCRETE, "OOM kill of PID",
                     "Process id of the process the OOM killer killed."))
      .metric(column(tcomm, PM_TYPE_STRING, PM_SEM_INSTANT, "OOM kill of COMM",
                     "Command name of the process the OOM killer killed (at most 15 "
                     "characters)."))
      .metric(column(uid, PM_TYPE_U32, PM_SEM_DISCRETE, "user id of the OOM victim",
                     "User id of the process the OOM killer killed."))
      .metric(lost_events_metric(kLost))
      .instances_help("the most recent OOM kills, \"0\" the newest");
}

const bool registered = register_module("oomkill", oomkill);

}  // namespace
