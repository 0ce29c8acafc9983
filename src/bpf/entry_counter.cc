#include "bpf/entry_counter.h"
#include "bpf/instructions.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace bcc {

namespace {

// What the iterator needs from the running kernel's BTF: where its fields
// lie and which functions it calls or attaches to.
struct KernelLayout {
  int iter_func = -1;   // bpf_iter_bpf_map: what the program attaches to
  int sum_kfunc = -1;   // bpf_map_sum_elem_count
  int16_t meta = -1;    // struct bpf_iter__bpf_map: meta, map
  int16_t map = -1;
  int16_t seq = -1;     // struct bpf_iter_meta: seq
  int16_t map_id = -1;  // struct bpf_map: id (u32)
};

// A member's bit offset in the struct or union `id`, looking into its
// anonymous members (a field declared with __bpf_md_ptr is one), or -1.
long member_bits(const btf* kernel, int id, const char* member) {
  const btf_type* t = btf__type_by_id(kernel, id);
  if (!t || !(btf_is_struct(t) || btf_is_union(t))) return -1;
  const btf_member* m = btf_members(t);
  for (int i = 0; i < btf_vlen(t); i++, m++) {
    const char* name = btf__name_by_offset(kernel, m->name_off);
    long at = btf_member_bit_offset(t, i);
    if (name && std::strcmp(name, member) == 0) return at;
    if (!name || !*name) {
      long inner = member_bits(kernel, btf__resolve_type(kernel, m->type), member);
      if (inner >= 0) return at + inner;
    }
  }
  return -1;
}

// A member's byte offset in struct `type`, or -1.
int16_t member_offset(const btf* kernel, const char* type, const char* member) {
  int id = btf__find_by_name_kind(kernel, type, BTF_KIND_STRUCT);
  long bits = id < 0 ? -1 : member_bits(kernel, id, member);
  return bits >= 0 && bits % 8 == 0 && bits / 8 < 32768 ? static_cast<int16_t>(bits / 8) : -1;
}

bool read_layout(KernelLayout& k, std::string& why) {
  btf* kernel = btf__load_vmlinux_btf();
  if (!kernel) {
    why = "the kernel has no BTF";
    return false;
  }
  k.iter_func = btf__find_by_name_kind(kernel, "bpf_iter_bpf_map", BTF_KIND_FUNC);
  k.sum_kfunc = btf__find_by_name_kind(kernel, "bpf_map_sum_elem_count", BTF_KIND_FUNC);
  k.meta = member_offset(kernel, "bpf_iter__bpf_map", "meta");
  k.map = member_offset(kernel, "bpf_iter__bpf_map", "map");
  k.seq = member_offset(kernel, "bpf_iter_meta", "seq");
  k.map_id = member_offset(kernel, "bpf_map", "id");
  btf__free(kernel);
  if (k.sum_kfunc < 0) {
    why = "the kernel does not count map entries (bpf_map_sum_elem_count: Linux 6.6)";
    return false;
  }
  if (k.iter_func < 0 || k.meta < 0 || k.map < 0 || k.seq < 0 || k.map_id < 0) {
    why = "the kernel's BTF lacks the map iterator's types";
    return false;
  }
  return true;
}

constexpr auto insn = bpf_instruction;

// For each map: write { u64 id; s64 entries; } to the iterator's output.
//   r6 = ctx->meta; r7 = ctx->map; if (!r7) return 0;
//   stack[-16] = r7->id; stack[-8] = bpf_map_sum_elem_count(r7);
//   bpf_seq_write(r6->seq, stack - 16, 16); return 0;
std::vector<bpf_insn> program(const KernelLayout& k) {
  return {
      insn(BPF_LDX | BPF_MEM | BPF_DW, 6, 1, k.meta, 0),
      insn(BPF_LDX | BPF_MEM | BPF_DW, 7, 1, k.map, 0),
      insn(BPF_JMP | BPF_JEQ | BPF_K, 7, 0, 10, 0),  // to "r0 = 0"
      insn(BPF_LDX | BPF_MEM | BPF_W, 2, 7, k.map_id, 0),
      insn(BPF_STX | BPF_MEM | BPF_DW, 10, 2, -16, 0),
      insn(BPF_ALU64 | BPF_MOV | BPF_X, 1, 7, 0, 0),
      insn(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_KFUNC_CALL, 0, k.sum_kfunc),
      insn(BPF_STX | BPF_MEM | BPF_DW, 10, 0, -8, 0),
      insn(BPF_LDX | BPF_MEM | BPF_DW, 1, 6, k.seq, 0),
      insn(BPF_ALU64 | BPF_MOV | BPF_X, 2, 10, 0, 0),
      insn(BPF_ALU64 | BPF_ADD | BPF_K, 2, 0, 0, -16),
      insn(BPF_ALU64 | BPF_MOV | BPF_K, 3, 0, 0, 16),
      insn(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_seq_write),
      insn(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0),
      insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
  };
}

struct Record {
  uint64_t id;
  int64_t entries;
};

}  // namespace

std::unique_ptr<EntryCounter> EntryCounter::open(std::string* why) {
  std::string reason;
  KernelLayout layout;
  if (!read_layout(layout, reason)) {
    if (why) *why = reason;
    return nullptr;
  }
  std::vector<bpf_insn> insns = program(layout);
  LIBBPF_OPTS(bpf_prog_load_opts, load, .expected_attach_type = BPF_TRACE_ITER,
              .attach_btf_id = static_cast<uint32_t>(layout.iter_func));
  // kfuncs serve GPL-compatible programs only
  int prog = bpf_prog_load(BPF_PROG_TYPE_TRACING, "map_entries", "GPL", insns.data(),
                           insns.size(), &load);
  if (prog < 0) {
    if (why) *why = std::string("cannot load the map iterator: ") + std::strerror(errno);
    return nullptr;
  }
  int link = bpf_link_create(prog, 0, BPF_TRACE_ITER, nullptr);
  if (link < 0) {
    if (why) *why = std::string("cannot link the map iterator: ") + std::strerror(errno);
    close(prog);
    return nullptr;
  }
  return std::unique_ptr<EntryCounter>(new EntryCounter(prog, link));
}

EntryCounter::~EntryCounter() {
  close(link_fd_);
  close(prog_fd_);
}

std::optional<std::unordered_map<uint32_t, uint64_t>> EntryCounter::count() const {
  int iter = bpf_iter_create(link_fd_);
  if (iter < 0) return std::nullopt;
  std::unordered_map<uint32_t, uint64_t> out;
  std::vector<char> buffer(64 * sizeof(Record) * 16);
  size_t held = 0;  // bytes of a record cut by the end of a read
  bool failed = false;
  while (true) {
    ssize_t got = read(iter, buffer.data() + held, buffer.size() - held);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) failed = true;
    if (got <= 0) break;
    held += static_cast<size_t>(got);
    size_t whole = held / sizeof(Record) * sizeof(Record);
    for (size_t at = 0; at < whole; at += sizeof(Record)) {
      Record r;
      std::memcpy(&r, buffer.data() + at, sizeof r);
      out[static_cast<uint32_t>(r.id)] = r.entries > 0 ? static_cast<uint64_t>(r.entries) : 0;
    }
    std::memmove(buffer.data(), buffer.data() + whole, held - whole);
    held -= whole;
  }
  close(iter);
  if (failed) return std::nullopt;
  return out;
}

namespace {

struct FetchCounts {
  bool fetching = false;  // a fetch began and its counts were not read yet
  bool opened = false;
  std::string why_not;  // when it could not be opened
  std::unique_ptr<EntryCounter> counter;
  std::optional<std::unordered_map<uint32_t, uint64_t>> counts;
};

FetchCounts& fetch_counts() {
  static FetchCounts state;
  return state;
}

}  // namespace

std::string open_entry_counter() {
  FetchCounts& f = fetch_counts();
  if (!f.opened) {
    f.opened = true;
    f.counter = EntryCounter::open(&f.why_not);
  }
  return f.counter ? "" : f.why_not;
}

void begin_counting_fetch() {
  FetchCounts& f = fetch_counts();
  f.fetching = true;
  f.counts.reset();
}

const std::unordered_map<uint32_t, uint64_t>* fetch_entry_counts() {
  FetchCounts& f = fetch_counts();
  if (f.fetching) {
    f.fetching = false;
    open_entry_counter();
    if (f.counter) f.counts = f.counter->count();
  }
  return f.counts ? &*f.counts : nullptr;
}

}  // namespace bcc
