#include "mount_calls.h"

#include <cinttypes>
#include <cstring>

#include "module/snoop_events.h"

namespace bcc {

namespace {

// The MS_* flags of mount(2), by bit.
const char* const kMountFlags[32] = {
    "MS_RDONLY",     "MS_NOSUID",     "MS_NODEV",       "MS_NOEXEC",    "MS_SYNCHRONOUS",
    "MS_REMOUNT",    "MS_MANDLOCK",   "MS_DIRSYNC",     "MS_NOSYMFOLLOW", "MS_NOATIME",
    "MS_NODIRATIME", "MS_BIND",       "MS_MOVE",        "MS_REC",       "MS_VERBOSE",
    "MS_SILENT",     "MS_POSIXACL",   "MS_UNBINDABLE",  "MS_PRIVATE",   "MS_SLAVE",
    "MS_SHARED",     "MS_RELATIME",   "MS_KERNMOUNT",   "MS_I_VERSION", "MS_STRICTATIME",
    "MS_LAZYTIME",   "MS_SUBMOUNT",   "MS_NOREMOTELOCK", "MS_NOSEC",    "MS_BORN",
    "MS_ACTIVE",     "MS_NOUSER"};

// The flags of umount2(2), by bit.
const char* const kUmountFlags[4] = {"MNT_FORCE", "MNT_DETACH", "MNT_EXPIRE", "UMOUNT_NOFOLLOW"};

std::string hex(uint64_t value) {
  char text[24];
  snprintf(text, sizeof(text), "0x%" PRIx64, value);
  return text;
}

// Names of the bits set, joined by " | "; a bit without a name in hex.
template <size_t N>
std::string bit_names(uint64_t flags, const char* const (&names)[N]) {
  if (flags == 0) return "0x0";
  std::string out;
  for (size_t bit = 0; bit < 64; bit++) {
    uint64_t mask = uint64_t{1} << bit;
    if (!(flags & mask)) continue;
    if (!out.empty()) out += " | ";
    out += bit < N ? names[bit] : hex(mask);
  }
  return out;
}

std::string quoted(const std::string& text) { return "\"" + text + "\""; }

}  // namespace

std::string mount_op_name(const mountsnoop_event& e) {
  switch (e.op) {
    case MOUNTSNOOP_MOUNT: return "MOUNT";
    case MOUNTSNOOP_UMOUNT: return "UMOUNT";
    case MOUNTSNOOP_FSOPEN: return "FSOPEN";
    case MOUNTSNOOP_FSCONFIG: return "FSCONFIG";
    case MOUNTSNOOP_FSMOUNT: return "FSMOUNT";
    case MOUNTSNOOP_MOVE_MOUNT: return "MOVE_MOUNT";
  }
  return "UNKNOWN";
}

std::string mount_return_text(int ret) {
  if (ret == 0) return "0";
  if (ret < 0) {
    const char* name = strerrorname_np(-ret);
    if (name) return std::string("-") + name;
  }
  return std::to_string(ret);
}

std::string mount_flags_text(const mountsnoop_event& e) {
  switch (e.op) {
    case MOUNTSNOOP_MOUNT: return bit_names(e.flags, kMountFlags);
    case MOUNTSNOOP_UMOUNT: return bit_names(e.flags, kUmountFlags);
  }
  return hex(e.flags);
}

std::string mount_call_text(const mountsnoop_event& e) {
  std::string fs = c_string(e.fs), source = c_string(e.source), target = c_string(e.target),
              data = c_string(e.data), flags = mount_flags_text(e);
  std::string call;
  switch (e.op) {
    case MOUNTSNOOP_MOUNT:
      call = "mount(" + quoted(source) + ", " + quoted(target) + ", " + quoted(fs) + ", " +
             flags + ", " + quoted(data) + ")";
      break;
    case MOUNTSNOOP_UMOUNT: call = "umount(" + quoted(target) + ", " + flags + ")"; break;
    case MOUNTSNOOP_FSOPEN: call = "fsopen(" + quoted(fs) + ", " + flags + ")"; break;
    case MOUNTSNOOP_FSCONFIG:
      call = "fsconfig(" + std::to_string(e.fd) + ", " + std::to_string(e.cmd) + ", " +
             quoted(source) + ", " + quoted(data) + ", " + std::to_string(e.aux) + ")";
      break;
    case MOUNTSNOOP_FSMOUNT:
      call = "fsmount(" + std::to_string(e.fd) + ", " + flags + ", " + hex(e.cmd) + ")";
      break;
    case MOUNTSNOOP_MOVE_MOUNT:
      call = "move_mount(" + std::to_string(e.fd) + ", " + quoted(source) + ", " +
             std::to_string(e.to_fd) + ", " + quoted(target) + ", " + flags + ")";
      break;
    default: call = mount_op_name(e) + "()";
  }
  return call + " = " + mount_return_text(e.ret);
}

}  // namespace bcc
