#include "io_top.h"

#include <algorithm>

#include "config/ini.h"

namespace bcc {

IoSort parse_io_sort(const std::string& text) {
  IoSort sort;
  std::string name = text;
  sort.descending = !name.empty() && name[0] == '-';
  if (sort.descending) name.erase(0, 1);
  if (name == "bytes")
    sort.key = IoSort::bytes;
  else if (name == "io")
    sort.key = IoSort::io;
  else if (name == "duration")
    sort.key = IoSort::duration;
  else if (name == "rw")
    sort.key = IoSort::rw;
  else
    throw config::ConfigError("sort = '" + text +
                              "': expected bytes, io, duration or rw, with a leading '-' for "
                              "descending order");
  return sort;
}

namespace {

double sort_value(const IoTotals& t, IoSort::Key key) {
  switch (key) {
    case IoSort::bytes: return static_cast<double>(t.bytes);
    case IoSort::io: return static_cast<double>(t.io);
    case IoSort::duration: return t.io ? static_cast<double>(t.microseconds) / t.io : 0.0;
    case IoSort::rw: return t.write ? 1 : 0;
  }
  return 0;
}

}  // namespace

std::vector<IoTotals> rank_io(std::vector<IoTotals> rows, const IoSort& sort, size_t count,
                              bool include_residual) {
  if (!include_residual)
    rows.erase(std::remove_if(rows.begin(), rows.end(), [](const IoTotals& t) { return t.pid == 0; }),
               rows.end());
  std::stable_sort(rows.begin(), rows.end(), [&sort](const IoTotals& a, const IoTotals& b) {
    double x = sort_value(a, sort.key), y = sort_value(b, sort.key);
    return sort.descending ? x > y : x < y;
  });
  if (rows.size() > count) rows.resize(count);
  return rows;
}

}  // namespace bcc
