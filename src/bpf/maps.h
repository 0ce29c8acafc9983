// The maps of a loaded program, by the names its text gives them: what
// readers, stores and process filters work on. A loaded Program is one; a
// MapSnapshot (bpf/map_snapshot.h) reads each map once per fetch; unit
// tests fake them.
#pragma once

#include <linux/bpf.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace bcc {

// What the kernel says of a map (bpf_map_info): BPF_MAP_TYPE_*, sizes.
struct MapInfo {
  uint32_t type = 0;
  uint32_t key_size = 0;
  uint32_t value_size = 0;
  uint32_t max_entries = 0;
  uint32_t flags = 0;  // BPF_F_* the map was created with
  uint32_t id = 0;     // the kernel's id of the map (0: not known)
  bool per_cpu() const {
    return type == BPF_MAP_TYPE_PERCPU_HASH || type == BPF_MAP_TYPE_PERCPU_ARRAY ||
           type == BPF_MAP_TYPE_LRU_PERCPU_HASH;
  }
  // indexed by slot (array, per-CPU array), not hashed
  bool array() const { return type == BPF_MAP_TYPE_ARRAY || type == BPF_MAP_TYPE_PERCPU_ARRAY; }
  // an array the agent may map into its memory (BPF_F_MMAPABLE)
  bool mmapable() const { return type == BPF_MAP_TYPE_ARRAY && (flags & BPF_F_MMAPABLE); }
  bool hash() const {
    return type == BPF_MAP_TYPE_HASH || type == BPF_MAP_TYPE_LRU_HASH ||
           type == BPF_MAP_TYPE_PERCPU_HASH || type == BPF_MAP_TYPE_LRU_PERCPU_HASH;
  }
  // a map of keys and values: hashes and arrays, not perf buffers or stacks
  bool keyed() const {
    return array() || type == BPF_MAP_TYPE_HASH || type == BPF_MAP_TYPE_LRU_HASH || per_cpu();
  }
};

// One entry of a map, as raw bytes. For per-CPU maps `value` holds every
// possible CPU's copy in turn, each rounded up to 8 bytes.
struct MapEntry {
  std::string key;
  std::string value;
};

// A read-only list shared with whoever read it (a snapshot keeps it for the
// rest of its fetch); iterating a returned list is safe while the map changes.
template <typename T>
class SharedList {
 public:
  explicit SharedList(std::shared_ptr<const std::vector<T>> items) : items_(std::move(items)) {}
  typename std::vector<T>::const_iterator begin() const { return items_->begin(); }
  typename std::vector<T>::const_iterator end() const { return items_->end(); }
  size_t size() const { return items_->size(); }
  bool empty() const { return items_->empty(); }
  const T& operator[](size_t i) const { return (*items_)[i]; }
  const std::vector<T>& items() const { return *items_; }
  operator const std::vector<T>&() const { return *items_; }
  friend bool operator==(const SharedList& list, const std::vector<T>& items) {
    return *list.items_ == items;
  }

 private:
  std::shared_ptr<const std::vector<T>> items_;
};
using MapEntries = SharedList<MapEntry>;
using MapSlots = SharedList<uint64_t>;
using MapBytes = SharedList<char>;

class Maps {
 public:
  virtual ~Maps() = default;
  // The descriptor of map `name`; throws std::runtime_error naming the map
  // when the program has none of that name.
  virtual int fd(const std::string& name) const = 0;

  // Reads, from the kernel unless a subclass keeps them (bpf/tables.h has
  // the functions modules call). Each throws std::runtime_error naming the
  // map when there is no such map or the kernel refuses.
  virtual MapInfo info(const std::string& name);
  // Every entry of a hash (or array) map.
  virtual MapEntries entries(const std::string& name);
  // An array of u64 (BPF_ARRAY, BPF_HISTOGRAM or their per-CPU forms), slot
  // by slot, per-CPU copies summed. A BPF_F_MMAPABLE array holds one row of
  // slots per possible CPU (modules/cpu_rows.h): its rows are summed.
  virtual MapSlots u64_slots(const std::string& name);
  // Every slot's value of an array, slot after slot, value_size bytes each
  // (per-CPU arrays: every possible CPU's copy in turn, each rounded up to 8
  // bytes). A BPF_F_MMAPABLE array is read from memory, without a system call.
  virtual MapBytes array_values(const std::string& name);
  // One entry's value (raw bytes, per-CPU copies as in MapEntry); false
  // when the key is not there.
  virtual bool lookup(const std::string& name, const std::string& key, std::string& value);
  // Removes one key; false when it was not there.
  virtual bool erase(const std::string& name, const std::string& key);
  // Told after the agent changed map `name` (deleted, updated or cleared
  // entries), so that what was read of it before is read again.
  virtual void changed(const std::string& name) { (void)name; }
};

}  // namespace bcc
