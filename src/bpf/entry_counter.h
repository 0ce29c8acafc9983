// How many entries every hash map of the system holds, as the kernel counts
// them (since Linux 6.6 each hash map keeps per-CPU counts of its insertions
// and deletions, which the kfunc bpf_map_sum_elem_count sums). A small BPF
// iterator over maps, loaded by the agent itself, writes each map's id and
// count; one read of it counts every map, where a walk of one hash visits
// all of its buckets (16,384 for 10,240 entries) however few it holds.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

namespace bcc {

class EntryCounter {
 public:
  // The iterator, loaded and linked; nullptr when the kernel cannot (before
  // 6.6, no BTF, no CAP_BPF), with the reason in `why`.
  static std::unique_ptr<EntryCounter> open(std::string* why = nullptr);
  ~EntryCounter();
  EntryCounter(const EntryCounter&) = delete;
  EntryCounter& operator=(const EntryCounter&) = delete;

  // Entries of every map, by map id (bpf_map_info.id), counted now;
  // nullopt when the kernel refused the read. Maps of other types than
  // hashes report what the kernel keeps for them (often 0): ask for hashes.
  std::optional<std::unordered_map<uint32_t, uint64_t>> count() const;

 private:
  EntryCounter(int prog_fd, int link_fd) : prog_fd_(prog_fd), link_fd_(link_fd) {}
  int prog_fd_;
  int link_fd_;
};

// The counts of the agent's fetch under way, read from the kernel once, at
// the first ask after the fetch began: every module's snapshot and
// bcc.pmda.map.entries share one read. Main thread only.
//
// Called by the PMDA as each fetch (or instance request, which reads the
// maps too) begins; before the first call (outside pmcd: tests, --check)
// there are no counts.
void begin_counting_fetch();
// Loads the iterator now (the agent calls it as it starts) instead of at
// the first fetch, so that the agent's own kernel objects, one program and
// one link, are the same from its first fetch on. Returns "" or why the
// kernel keeps no counts (then every hash is read or walked).
std::string open_entry_counter();
// The counts as of the fetch's first ask; null outside a fetch, or when the
// kernel keeps none (then every hash is read or walked).
const std::unordered_map<uint32_t, uint64_t>* fetch_entry_counts();

}  // namespace bcc
