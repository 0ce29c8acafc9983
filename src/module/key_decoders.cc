#include "module/key_decoders.h"

#include <algorithm>
#include <climits>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>

#include "bpf/net_address.h"
#include "bpf/symbols.h"
#include "module/process_instances.h"
#include "system/block_devices.h"
#include "system/cgroup_paths.h"
#include "system/errno_names.h"
#include "system/syscall_names.h"

namespace bcc {

namespace {

const std::map<std::string, size_t>& key_types() {
  static const std::map<std::string, size_t> types{
      {"u8", 1},  {"u16", 2}, {"u32", 4}, {"u64", 8},  {"s8", 1},
      {"s16", 2}, {"s32", 4}, {"s64", 8}, {"int", 4}, {"long", 8}};
  return types;
}

// the sizes a decoder accepts; empty: any
std::vector<size_t> decoder_sizes(const std::string& decoder) {
  static const std::vector<size_t> numbers{1, 2, 4, 8};
  if (decoder == "ksym" || decoder == "cgroup") return {8};
  if (decoder == "pid" || decoder == "disk") return {4, 8};
  if (decoder == "ipv4") return {4};
  if (decoder == "ipv6") return {16};
  if (decoder == "comm" || decoder == "string" || decoder == "ipv4:port" ||
      decoder == "ipv6:port")
    return {};
  return numbers;
}

bool is_signed(const std::string& type) {
  return type.size() > 1 && (type[0] == 's' || type == "int" || type == "long");
}

// little-endian, as the machine stores it; 1, 2, 4 or 8 bytes
uint64_t unsigned_value(const std::string& bytes) {
  uint64_t v = 0;
  std::memcpy(&v, bytes.data(), std::min(bytes.size(), sizeof(v)));
  return v;
}

int64_t signed_value(const std::string& bytes) {
  switch (bytes.size()) {
    case 1: return static_cast<int8_t>(bytes[0]);
    case 2: return static_cast<int16_t>(unsigned_value(bytes));
    case 4: return static_cast<int32_t>(unsigned_value(bytes));
    default: return static_cast<int64_t>(unsigned_value(bytes));
  }
}

std::string address_with_port(const std::string& key, uint16_t family, size_t address_size) {
  uint8_t address[16] = {};
  std::memcpy(address, key.data(), address_size);
  uint16_t port = 0;
  std::memcpy(&port, key.data() + address_size, sizeof(port));
  std::string text = address_text(family, address);
  if (family == kFamilyInet6) text = "[" + text + "]";
  return text + ":" + std::to_string(port);
}

}  // namespace

bool is_key_type(const std::string& word) { return key_types().count(word) > 0; }

const std::vector<std::string>& key_decoder_names() {
  static const std::vector<std::string> names{
      "number", "hex",  "cpu",    "pid",  "comm", "string",    "syscall",  "errno",
      "ksym",   "disk", "cgroup", "ipv4", "ipv6", "ipv4:port", "ipv6:port", "none"};
  return names;
}

std::string key_spec_problem(const KeySpec& key) {
  const auto& names = key_decoder_names();
  if (std::find(names.begin(), names.end(), key.decoder) == names.end()) {
    std::string list;
    for (const std::string& n : names) list += (list.empty() ? "" : ", ") + n;
    return "unknown key decoder '" + key.decoder + "'; expected key=[TYPE:]DECODER with a " +
           "decoder among: " + list + " (TYPE: u8, u16, u32, u64, s8 ... s64)";
  }
  if (!key.type.empty() && key.decoder != "none") {
    std::vector<size_t> sizes = decoder_sizes(key.decoder);
    size_t size = key_types().at(key.type);
    if (!sizes.empty() && std::find(sizes.begin(), sizes.end(), size) == sizes.end())
      return "key type " + key.type + " does not suit decoder '" + key.decoder + "'";
  }
  return "";
}

std::string key_size_problem(const KeySpec& key, size_t key_size) {
  if (key.decoder == "none") return "";
  std::string declared = key.type.empty() ? "" : key.type + " ";
  if (!key.type.empty() && key_types().at(key.type) != key_size)
    return "its keys are " + std::to_string(key_size) + " bytes, not " + key.type + " (" +
           std::to_string(key_types().at(key.type)) + " bytes)";
  std::vector<size_t> sizes = decoder_sizes(key.decoder);
  if (key.decoder == "ipv4:port" && key_size < 6)
    return "its keys are " + std::to_string(key_size) +
           " bytes; ipv4:port needs 4 address bytes and a u16 port";
  if (key.decoder == "ipv6:port" && key_size < 18)
    return "its keys are " + std::to_string(key_size) +
           " bytes; ipv6:port needs 16 address bytes and a u16 port";
  if (!sizes.empty() && std::find(sizes.begin(), sizes.end(), key_size) == sizes.end()) {
    std::string list;
    for (size_t s : sizes) list += (list.empty() ? "" : " or ") + std::to_string(s);
    return "its keys are " + std::to_string(key_size) + " bytes; decoder '" + key.decoder +
           "' reads keys of " + list + " bytes";
  }
  return "";
}

KeyDecoder make_key_decoder(const KeySpec& key, const std::string& cgroup_root) {
  const std::string& d = key.decoder;
  bool signed_key = is_signed(key.type);
  if (d == "number" || d == "none")
    return [signed_key](const std::string& k) {
      return signed_key ? std::to_string(signed_value(k)) : std::to_string(unsigned_value(k));
    };
  if (d == "hex")
    return [](const std::string& k) {
      char text[24];
      snprintf(text, sizeof(text), "0x%llx", static_cast<unsigned long long>(unsigned_value(k)));
      return std::string(text);
    };
  if (d == "cpu")
    return [](const std::string& k) { return "cpu" + std::to_string(unsigned_value(k)); };
  if (d == "pid")
    return [](const std::string& k) {
      return process_instance_name(static_cast<int>(unsigned_value(k.substr(0, 4))));
    };
  if (d == "comm" || d == "string")
    return [](const std::string& k) {
      std::string text = k.substr(0, k.find('\0'));
      return text.empty() ? std::string("[empty]") : text;
    };
  if (d == "syscall")
    return [signed_key](const std::string& k) {
      return syscall_name(signed_key ? signed_value(k) : static_cast<long>(unsigned_value(k)));
    };
  if (d == "errno")
    return [](const std::string& k) {
      int64_t n = signed_value(k);
      // syscall return values carry errors negated; a number no errno can be
      // (INT64_MIN has no magnitude, others past an int) stays a number
      bool in_range = n >= -INT_MAX && n <= INT_MAX;
      std::string name = in_range ? errno_name(static_cast<int>(n < 0 ? -n : n)) : "";
      return name.empty() ? std::to_string(n) : name;
    };
  if (d == "ksym") {
    auto symbols = std::make_shared<Symbols>();
    return [symbols](const std::string& k) { return symbols->kernel(unsigned_value(k)); };
  }
  if (d == "disk") {
    auto disks = std::make_shared<DiskNames>();
    return [disks](const std::string& k) {
      uint64_t dev = unsigned_value(k);
      unsigned major = kernel_dev_major(dev), minor = kernel_dev_minor(dev);
      std::string name = disks->name(major, minor);
      return name.empty() ? std::to_string(major) + ":" + std::to_string(minor) : name;
    };
  }
  if (d == "cgroup") {
    auto cgroups = std::make_shared<CgroupPaths>(cgroup_root);
    return [cgroups](const std::string& k) {
      uint64_t id = unsigned_value(k);
      std::string path = cgroups->path(id);
      return path.empty() ? "cgroup " + std::to_string(id) : path;
    };
  }
  if (d == "ipv4")
    return [](const std::string& k) {
      uint8_t address[16] = {};
      std::memcpy(address, k.data(), 4);
      return address_text(kFamilyInet, address);
    };
  if (d == "ipv6")
    return [](const std::string& k) {
      return address_text(kFamilyInet6, reinterpret_cast<const uint8_t*>(k.data()));
    };
  if (d == "ipv4:port")
    return [](const std::string& k) { return address_with_port(k, kFamilyInet, 4); };
  if (d == "ipv6:port")
    return [](const std::string& k) { return address_with_port(k, kFamilyInet6, 16); };
  return nullptr;
}

KeyDecoder key_fields(const std::vector<KeyField>& fields, const std::string& separator) {
  std::vector<std::pair<KeyField, KeyDecoder>> parts;
  for (const KeyField& f : fields) parts.emplace_back(f, make_key_decoder(f.key));
  return [parts, separator](const std::string& key) {
    std::string name;
    for (const auto& [field, decode] : parts) {
      if (!decode || field.offset + field.size > key.size()) return std::string();
      std::string part = decode(key.substr(field.offset, field.size));
      if (part.empty()) return std::string();
      name += (name.empty() ? "" : separator) + part;
    }
    return name;
  };
}

}  // namespace bcc
