#include "support/pcp_client.h"

#include <pcp/pmapi.h>

#include <array>
#include <cstdio>
#include <memory>
#include <stdexcept>

namespace bcc::test {

namespace {

class Context {
 public:
  Context() {
    handle_ = pmNewContext(PM_CONTEXT_HOST, "local:");
    if (handle_ < 0) throw std::runtime_error(std::string("pmNewContext: ") + pmErrStr(handle_));
  }
  ~Context() { pmDestroyContext(handle_); }

 private:
  int handle_;
};

void check(int sts, const std::string& what, const std::string& metric) {
  if (sts < 0) throw std::runtime_error(what + " " + metric + ": " + pmErrStr(sts));
}

struct Fetched {
  pmID pmid;
  pmDesc desc;
  pmResult* result = nullptr;
  ~Fetched() {
    if (result) pmFreeResult(result);
  }
};

void fetch(const std::string& metric, Fetched& f) {
  const char* name = metric.c_str();
  check(pmLookupName(1, &name, &f.pmid), "lookup", metric);
  check(pmLookupDesc(f.pmid, &f.desc), "describe", metric);
  check(pmFetch(1, &f.pmid, &f.result), "fetch", metric);
  check(f.result->vset[0]->numval, "fetch", metric);
}

template <typename T, typename Extract>
std::map<std::string, T> values(const std::string& metric, int type, Extract extract) {
  Context context;
  Fetched f;
  fetch(metric, f);
  std::map<std::string, T> out;
  pmValueSet* vs = f.result->vset[0];
  // every instance name in one request (a metric may have thousands)
  std::map<int, std::string> names;
  if (f.desc.indom != PM_INDOM_NULL && vs->numval > 0) {
    int* ids = nullptr;
    char** texts = nullptr;
    int n = pmGetInDom(f.desc.indom, &ids, &texts);
    for (int i = 0; i < n; i++) names[ids[i]] = texts[i];
    free(ids);
    free(texts);
  }
  for (int i = 0; i < vs->numval; i++) {
    pmAtomValue atom;
    check(pmExtractValue(vs->valfmt, &vs->vlist[i], f.desc.type, &atom, type), "extract", metric);
    std::string inst;
    if (f.desc.indom != PM_INDOM_NULL) {
      auto known = names.find(vs->vlist[i].inst);
      if (known != names.end()) {
        inst = known->second;
      } else {  // added since pmGetInDom answered
        char* iname = nullptr;
        int named = pmNameInDom(f.desc.indom, vs->vlist[i].inst, &iname);
        // ... or gone again (a process exited) before this lookup: it is
        // not part of the values any more
        if (named == PM_ERR_INST) continue;
        check(named, "instance of", metric);
        inst = iname;
        free(iname);
      }
    }
    out[inst] = extract(atom);
  }
  return out;
}

}  // namespace

std::map<std::string, uint64_t> PcpClient::numbers(const std::string& metric) {
  return values<uint64_t>(metric, PM_TYPE_U64, [](pmAtomValue& a) { return a.ull; });
}

std::map<std::string, double> PcpClient::doubles(const std::string& metric) {
  return values<double>(metric, PM_TYPE_DOUBLE, [](pmAtomValue& a) { return a.d; });
}

std::map<std::string, std::string> PcpClient::strings(const std::string& metric) {
  return values<std::string>(metric, PM_TYPE_STRING, [](pmAtomValue& a) {
    std::string s = a.cp;
    free(a.cp);
    return s;
  });
}

std::map<std::string, std::map<std::string, std::string>> PcpClient::rows(
    const std::vector<std::string>& metrics) {
  Context context;
  std::vector<const char*> names;
  for (const std::string& m : metrics) names.push_back(m.c_str());
  std::vector<pmID> pmids(metrics.size());
  std::vector<pmDesc> descs(metrics.size());
  check(pmLookupName(static_cast<int>(names.size()), names.data(), pmids.data()), "lookup",
        metrics.front());
  for (size_t i = 0; i < metrics.size(); i++)
    check(pmLookupDesc(pmids[i], &descs[i]), "describe", metrics[i]);
  Fetched f;
  check(pmFetch(static_cast<int>(pmids.size()), pmids.data(), &f.result), "fetch",
        metrics.front());
  std::map<std::string, std::map<std::string, std::string>> out;
  for (size_t m = 0; m < metrics.size(); m++) {
    pmValueSet* vs = f.result->vset[m];
    for (int i = 0; i < vs->numval; i++) {
      char* iname = nullptr;
      if (descs[m].indom == PM_INDOM_NULL ||
          pmNameInDom(descs[m].indom, vs->vlist[i].inst, &iname) < 0)
        continue;  // singular, or gone since the fetch
      pmAtomValue atom;
      check(pmExtractValue(vs->valfmt, &vs->vlist[i], descs[m].type, &atom, descs[m].type),
            "extract", metrics[m]);
      std::string text;
      if (descs[m].type == PM_TYPE_STRING) {
        text = atom.cp;
        free(atom.cp);
      } else {
        char buf[64];
        text = pmAtomStr_r(&atom, descs[m].type, buf, sizeof(buf));
      }
      out[iname][metrics[m]] = text;
      free(iname);
    }
  }
  return out;
}

uint64_t PcpClient::total(const std::string& metric) {
  uint64_t sum = 0;
  for (const auto& [inst, v] : numbers(metric)) sum += v;
  return sum;
}

MetricInfo PcpClient::describe(const std::string& metric) {
  Context context;
  pmID pmid;
  pmDesc desc;
  const char* name = metric.c_str();
  check(pmLookupName(1, &name, &pmid), "lookup", metric);
  check(pmLookupDesc(pmid, &desc), "describe", metric);
  MetricInfo info;
  info.type = desc.type;
  info.semantics = desc.sem;
  info.units = pmUnitsStr(&desc.units);
  info.has_indom = desc.indom != PM_INDOM_NULL;
  char* text = nullptr;
  if (pmLookupText(pmid, PM_TEXT_ONELINE, &text) == 0) {
    info.oneline = text;
    free(text);
  }
  if (pmLookupText(pmid, PM_TEXT_HELP, &text) == 0) {
    info.help = text;
    free(text);
  }
  return info;
}

bool PcpClient::exists(const std::string& metric) {
  Context context;
  pmID pmid;
  const char* name = metric.c_str();
  return pmLookupName(1, &name, &pmid) >= 0;
}

std::vector<std::string> PcpClient::names(const std::string& prefix) {
  Context context;
  std::vector<std::string> out;
  // pmTraversePMNS_r hands each name to a callback with our pointer
  pmTraversePMNS_r(
      prefix.c_str(),
      [](const char* name, void* arg) { static_cast<std::vector<std::string>*>(arg)->push_back(name); },
      &out);
  return out;
}

std::string run(const std::string& command, int* status) {
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  if (!pipe) throw std::runtime_error("cannot run: " + command);
  std::string out;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), pipe.get())) > 0) out.append(buf.data(), n);
  int sts = pclose(pipe.release());
  if (status) *status = WIFEXITED(sts) ? WEXITSTATUS(sts) : -1;
  return out;
}

}  // namespace bcc::test
