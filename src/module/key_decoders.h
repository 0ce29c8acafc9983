// Instance names from the raw bytes of map keys, by the decoder's name: what
// a custom program's export says (key=u32:cpu, key=pid, key=syscall...) and
// what built-in modules use for their keys, field by field (key_fields).
//
//   number   the key as an unsigned number (1, 2, 4 or 8 bytes)    "42"
//   hex      the same in hexadecimal                               "0x2a"
//   cpu      a CPU number                                          "cpu3"
//   pid      a process id, named as the proc agent names processes "001379 /usr/sbin/sshd"
//   comm     a NUL-terminated string (char[N]); also "string"      "bash"
//   syscall  a system call number                                  "openat"
//   errno    an error number, negative or not                      "ENOENT"
//   ksym     a kernel address (u64)                                "schedule"
//   disk     a block device as the block tracepoints give it
//            (major << 20 | minor)                                 "vda", or "253:0"
//   cgroup   a cgroup id (bpf_get_current_cgroup_id())             "/system.slice/pmcd.service"
//   ipv4, ipv6            an address in network byte order         "10.0.0.1", "::1"
//   ipv4:port, ipv6:port  an address, then a u16 port (host order) "10.0.0.1:80", "[::1]:80"
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace bcc {

// How a map key (or one field of it) becomes an instance name.
struct KeySpec {
  std::string type;     // declared C type ("u32", "u64", ...); "" = any size
  std::string decoder;  // "number", "cpu", "pid", "syscall", ... (above); "none" in an
                        // export sums every entry into one value without instances
};

// "u8" ... "u64", "s8" ... "s64", "int", "long": the C types a key may declare.
bool is_key_type(const std::string& word);
const std::vector<std::string>& key_decoder_names();

// "" when the spec is usable, else what is wrong and what is expected.
std::string key_spec_problem(const KeySpec& key);

// "" when a map whose keys are `key_size` bytes fits the spec, else why not.
std::string key_size_problem(const KeySpec& key, size_t key_size);

// The instance name of a key's raw bytes; "" leaves the entry out.
using KeyDecoder = std::function<std::string(const std::string& key)>;

// The decoder for a spec (which key_spec_problem accepts). `cgroup_root`
// is where cgroup ids are looked up.
KeyDecoder make_key_decoder(const KeySpec& key,
                            const std::string& cgroup_root = "/sys/fs/cgroup");

// One field of a key with several: `size` bytes at `offset`, decoded by `key`.
struct KeyField {
  size_t offset = 0;
  size_t size = 0;
  KeySpec key;
};

// The fields' names joined by `separator` ("1234::read" for a pid and a
// system call number); "" (the entry left out) when a field is outside
// the key or decodes to "".
KeyDecoder key_fields(const std::vector<KeyField>& fields, const std::string& separator = "::");

}  // namespace bcc
