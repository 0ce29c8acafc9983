#include "pmda/instances.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <unordered_set>

#include "module/process_instances.h"

namespace bcc {

namespace {

// pmdaCache's file format, version 2: "2 0 MAXINST", then "ID STAMP NAME"
constexpr int kCacheVersion = 2;

// Digits at the start of a name that are followed by a space or nothing:
// the per-process form "001379 sshd"; 0 when the name does not start so.
size_t leading_digits(const std::string& raw) {
  size_t n = 0;
  while (n < raw.size() && std::isdigit(static_cast<unsigned char>(raw[n]))) n++;
  return n > 0 && (n == raw.size() || raw[n] == ' ') ? n : 0;
}

uint64_t fnv1a(const std::string& s) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

std::string first_word(const std::string& name) { return name.substr(0, name.find(' ')); }

std::string spaces_escaped(const std::string& name) {
  std::string out;
  for (char c : name) out += c == ' ' ? std::string("\\x20") : std::string(1, c);
  return out;
}

}  // namespace

std::string instance_name(const std::string& raw) {
  size_t digits = leading_digits(raw);
  std::string out;
  out.reserve(raw.size());
  // room left for the name before "~" and the hash, if it is too long
  constexpr size_t room = kMaxInstanceName - (sizeof("~0123456789abcdef") - 1);
  // the longest start that fits in it and ends between escapes, never inside
  // one or inside a UTF-8 sequence
  size_t keep = 0;
  for (size_t i = 0; i < raw.size(); i++) {
    unsigned char c = static_cast<unsigned char>(raw[i]);
    if ((c & 0xc0) != 0x80 && out.size() <= room) keep = out.size();
    if (c == '\\') {
      out += "\\\\";
    } else if (c < 0x20 || c == 0x7f || (c == ' ' && !(digits > 0 && i == digits))) {
      char hex[8];
      snprintf(hex, sizeof(hex), "\\x%02x", c);
      out += hex;
    } else {
      out += static_cast<char>(c);
    }
  }
  if (out.size() <= kMaxInstanceName) return out;
  char hash[24];
  snprintf(hash, sizeof(hash), "~%016llx", static_cast<unsigned long long>(fnv1a(raw)));
  out.resize(keep);
  return out + hash;
}

InstanceDomain::InstanceDomain(pmInDom indom, bool ids_from_names, Forgetting forgetting)
    : indom_(indom), ids_from_names_(ids_from_names), forgetting_(forgetting) {
  if (!ids_from_names_) load();  // a missing saved copy is normal on the first start
}

void InstanceDomain::bind(pmdaIndom* entry) {
  entry_ = entry;
  if (entry_) {
    entry_->it_numinst = static_cast<int>(set_.size());
    entry_->it_set = set_.empty() ? nullptr : set_.data();
  }
}

std::vector<int> InstanceDomain::set_numbered(const std::vector<const std::string*>& names) {
  std::vector<int> ids;
  ids.reserve(names.size());
  numbered_names_.clear();
  std::unordered_set<int> seen;
  for (const std::string* raw : names) {
    int id = leading_number(*raw);
    if (id < 0) {
      pmNotifyErr(LOG_ERR, "instance domain %s: \"%s\" does not start with a number",
                  pmInDomStr(indom_), instance_name(*raw).c_str());
    } else if (!seen.insert(id).second) {
      id = -1;  // a second name for the same number in one fetch
    } else {
      numbered_names_.push_back(instance_name(*raw));
    }
    ids.push_back(id);
  }
  set_.clear();
  for (size_t i = 0, n = 0; i < names.size(); i++)
    if (ids[i] >= 0) set_.push_back({ids[i], const_cast<char*>(numbered_names_[n++].c_str())});
  bind(entry_);
  return ids;
}

int InstanceDomain::new_id() {
  if (next_id_ < INT_MAX && !entries_.count(next_id_)) return next_id_++;
  // after 2^31 names: the lowest free id
  for (int id = 0; id < INT_MAX; id++)
    if (!entries_.count(id)) return id;
  return -1;
}

bool InstanceDomain::same_as_last(const std::vector<const std::string*>& names) const {
  if (!last_valid_ || names.size() != last_names_.size()) return false;
  for (size_t i = 0; i < names.size(); i++)
    if (*names[i] != last_names_[i]) return false;
  return true;
}

std::vector<int> InstanceDomain::set_active(const std::vector<const std::string*>& names) {
  if (ids_from_names_) return set_numbered(names);
  time_t now = time(nullptr);
  if (same_as_last(names)) {
    // The names of the last call, in the same order: the same ids, already
    // active; only their stamps move on (to the second). Most fetches report
    // the names of the one before, and naming each again cost more than
    // reading the maps.
    if (now != last_stamp_)
      for (int id : last_ids_) entries_[id].last_seen = now;
    last_stamp_ = now;
    finish(now, false, false);
    return last_ids_;
  }
  for (const pmdaInstid& was : set_) {
    auto it = entries_.find(was.i_inst);
    if (it != entries_.end()) it->second.active = false;
  }
  bool changed = false;
  std::vector<int> ids;
  ids.reserve(names.size());
  for (const std::string* raw : names) {
    std::string name = instance_name(*raw);
    std::string base = name;
    int id = -1;
    for (int suffix = 1; suffix < 1000;) {
      std::string word = first_word(name);
      auto known = ids_.find(word);
      if (known == ids_.end()) {
        id = new_id();
        if (id < 0) break;
        ids_.emplace(std::move(word), id);
        entries_[id] = Entry{name, now, true};
        changed = true;
        break;
      }
      Entry& e = entries_[known->second];
      if (!e.active) {  // the same instance, maybe under a new description
        if (e.name != name) {
          e.name = name;
          changed = true;
        }
        e.active = true;
        e.last_seen = now;
        id = known->second;
        break;
      }
      // taken in this fetch by another name: "123 x" after "123 y" is the
      // whole "123\x20x"; any other name gets a number, "sshd~2"
      if (name.find(' ') != std::string::npos)
        base = name = spaces_escaped(name);
      else
        name = base + "~" + std::to_string(++suffix);
    }
    if (id < 0)
      pmNotifyErr(LOG_ERR, "instance domain %s: no id left for \"%s\"", pmInDomStr(indom_),
                  name.c_str());
    ids.push_back(id);
  }

  set_.clear();
  for (int id : ids)
    if (id >= 0) set_.push_back({id, const_cast<char*>(entries_[id].name.c_str())});
  if (set_.capacity() > 4 * set_.size() + 64) set_.shrink_to_fit();
  // the next call with these names takes the same ids (unless one was missing)
  last_valid_ = std::find(ids.begin(), ids.end(), -1) == ids.end();
  last_names_.clear();
  if (last_valid_)
    for (const std::string* raw : names) last_names_.push_back(*raw);
  last_ids_ = ids;
  last_stamp_ = now;
  finish(now, changed, true);
  return ids;
}

void InstanceDomain::finish(time_t now, bool changed, bool set_changed) {
  // processes and connections come and go: without forgetting, the table
  // (and its saved copy) would grow for the agent's whole uptime. Only
  // inactive names go: the active set stays as it is.
  auto tick = std::chrono::steady_clock::now();
  bool checked = false;
  if (forgetting_.enabled && tick >= next_purge_) {
    next_purge_ = tick + forgetting_.check_every;
    size_t before = entries_.size();
    purge(now);
    changed = changed || entries_.size() != before;
    checked = true;  // the saved copy gets the names' new stamps too
  }
  if (set_changed) bind(entry_);
  if (changed || checked) save();
}

void InstanceDomain::purge(time_t now) {
  for (auto it = entries_.begin(); it != entries_.end();) {
    const Entry& e = it->second;
    if (!e.active && now - e.last_seen >= forgetting_.after_seconds) {
      ids_.erase(first_word(e.name));
      it = entries_.erase(it);
    } else {
      ++it;
    }
  }
  // erasing frees the entries, not the hash tables' bucket arrays
  if (entries_.bucket_count() > 4 * entries_.size() + 64) {
    std::unordered_map<int, Entry>(entries_.begin(), entries_.end()).swap(entries_);
    std::unordered_map<std::string, int>(ids_.begin(), ids_.end()).swap(ids_);
  }
}

const char* InstanceDomain::name(unsigned inst) const {
  if (ids_from_names_) {
    for (const pmdaInstid& i : set_)
      if (i.i_inst == static_cast<int>(inst)) return i.i_name;
    return nullptr;
  }
  auto it = entries_.find(static_cast<int>(inst));
  return it == entries_.end() ? nullptr : it->second.name.c_str();
}

void InstanceDomain::forget_all() {
  last_valid_ = false;
  entries_.clear();
  ids_.clear();
  set_.clear();
  bind(entry_);
  if (!ids_from_names_) unlink(saved_path().c_str());
}

std::string InstanceDomain::saved_path() const {
  const char* var = pmGetOptionalConfig("PCP_VAR_DIR");
  return std::string(var ? var : "/var/lib/pcp") + "/config/pmda/" + pmInDomStr(indom_);
}

void InstanceDomain::load() {
  std::ifstream in(saved_path());
  std::string line;
  if (!in || !std::getline(in, line)) return;
  int version = 0;
  if (sscanf(line.c_str(), "%d", &version) != 1 || version < 1 || version > kCacheVersion) {
    pmNotifyErr(LOG_WARNING, "%s: not a saved instance domain; starting afresh",
                saved_path().c_str());
    return;
  }
  size_t bad = 0;
  while (std::getline(in, line)) {
    long long id = -1, stamp = 0;
    int used = 0;
    if (sscanf(line.c_str(), "%lld %lld %n", &id, &stamp, &used) < 2 || id < 0 || id >= INT_MAX ||
        used <= 0 || static_cast<size_t>(used) >= line.size()) {
      bad++;
      continue;
    }
    std::string name = line.substr(static_cast<size_t>(used));
    std::string word = first_word(name);
    if (name.size() > 4 * kMaxInstanceName || entries_.count(static_cast<int>(id)) ||
        ids_.count(word)) {
      bad++;
      continue;
    }
    ids_.emplace(word, static_cast<int>(id));
    entries_[static_cast<int>(id)] = Entry{name, static_cast<time_t>(stamp), false};
    next_id_ = std::max(next_id_, static_cast<int>(id) + 1);
  }
  if (bad)
    pmNotifyErr(LOG_WARNING, "%s: %zu line(s) ignored (malformed, or a name seen twice)",
                saved_path().c_str(), bad);
}

void InstanceDomain::save() {
  std::string path = saved_path();
  mkdir(path.substr(0, path.rfind('/')).c_str(), 0755);  // may exist
  std::vector<int> order;
  order.reserve(entries_.size());
  for (const auto& [id, e] : entries_) order.push_back(id);
  std::sort(order.begin(), order.end());
  std::string temp = path + ".new";
  FILE* out = fopen(temp.c_str(), "w");
  bool ok = out != nullptr;
  if (ok) {
    fprintf(out, "%d 0 %d\n", kCacheVersion, INT_MAX);
    for (int id : order) {
      const Entry& e = entries_[id];
      // names never hold a newline (instance_name escapes control characters)
      fprintf(out, "%d %lld %s\n", id, static_cast<long long>(e.last_seen), e.name.c_str());
    }
    ok = fclose(out) == 0;
  }
  if (!ok || rename(temp.c_str(), path.c_str()) != 0) {
    static std::string reported;
    if (reported != path) {
      pmNotifyErr(LOG_WARNING, "cannot save instance domain %s to %s: %s", pmInDomStr(indom_),
                  path.c_str(), strerror(errno));
      reported = path;
    }
    unlink(temp.c_str());
  }
}

}  // namespace bcc
