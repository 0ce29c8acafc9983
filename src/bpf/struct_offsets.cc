#include "bpf/struct_offsets.h"

#include <bpf/btf.h>

#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <vector>

namespace bcc {

namespace {

// Bit offset of member `name` in composite type `id`, searching anonymous
// members too; sets `member_type` to the member's type id.
std::optional<uint32_t> find_member(const btf* b, uint32_t id, const std::string& name,
                                    uint32_t& member_type) {
  const btf_type* t = btf__type_by_id(b, btf__resolve_type(b, id));
  if (!t || !(btf_is_struct(t) || btf_is_union(t))) return std::nullopt;
  const btf_member* m = btf_members(t);
  for (int i = 0; i < btf_vlen(t); i++, m++) {
    const char* n = btf__name_by_offset(b, m->name_off);
    uint32_t off = btf_member_bit_offset(t, i);
    if (n && name == n) {
      member_type = m->type;
      return off;
    }
    if (!n || !*n) {  // anonymous struct or union: its members belong to t
      if (auto inner = find_member(b, m->type, name, member_type)) return off + *inner;
    }
  }
  return std::nullopt;
}

}  // namespace

namespace {

std::optional<uint32_t> field_offset(const btf* b, const std::string& struct_name,
                                     const std::string& path) {
  int id = btf__find_by_name_kind(b, struct_name.c_str(), BTF_KIND_STRUCT);
  if (id < 0) return std::nullopt;
  uint32_t type = static_cast<uint32_t>(id);
  uint32_t bits = 0;
  std::istringstream parts(path);
  std::string field;
  while (std::getline(parts, field, '.')) {
    auto off = find_member(b, type, field, type);
    if (!off) return std::nullopt;
    bits += *off;
  }
  if (bits % 8) return std::nullopt;  // bitfields cannot be read this way
  return bits / 8;
}

}  // namespace

// The kernel's BTF takes megabytes once loaded: it is read when an offset
// not asked for before is wanted, and freed at once; the answers, which
// cannot change while the kernel runs, are kept.
std::optional<uint32_t> btf_field_offset(const std::string& struct_name, const std::string& path) {
  static std::mutex lock;
  static std::map<std::pair<std::string, std::string>, std::optional<uint32_t>> known;
  std::lock_guard<std::mutex> hold(lock);
  auto key = std::make_pair(struct_name, path);
  if (auto it = known.find(key); it != known.end()) return it->second;
  std::unique_ptr<btf, void (*)(btf*)> vmlinux(btf__load_vmlinux_btf(), btf__free);
  if (!vmlinux) return std::nullopt;  // not kept: the file may come back
  return known[key] = field_offset(vmlinux.get(), struct_name, path);
}

}  // namespace bcc
