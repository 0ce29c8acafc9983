#include "lock_callers.h"

#include <algorithm>

namespace bcc {

bool is_mutex_internal(const std::string& symbol) {
  std::string name = symbol.substr(0, symbol.find('+'));
  for (const char* prefix : {"mutex_lock", "__mutex_lock", "ww_mutex_lock", "__ww_mutex_lock",
                             "mutex_optimistic_spin", "__mutex_"})
    if (name.compare(0, std::char_traits<char>::length(prefix), prefix) == 0) return true;
  return false;
}

std::string lock_caller(const std::vector<std::string>& frames, size_t depth) {
  size_t first = 0;
  while (first < frames.size() && is_mutex_internal(frames[first])) first++;
  if (first == frames.size() || depth == 0) return "<Missed Kernel Stack>";
  std::string name;
  for (size_t i = first; i < frames.size() && i < first + depth; i++)
    name += (name.empty() ? "" : "+") + frames[i];
  return name;
}

void LockTimes::add(const LockTimes& other) {
  count += other.count;
  total += other.total;
  max = std::max(max, other.max);
}

}  // namespace bcc
