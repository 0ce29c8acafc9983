// The struct sock fields network programs read from a socket pointer, as
// -D<macro>=<offset> flags from the running kernel's BTF:
//   SK_FAMILY_OFFSET       __sk_common.skc_family        u16
//   SK_LPORT_OFFSET        __sk_common.skc_num           u16, host order
//   SK_DPORT_OFFSET        __sk_common.skc_dport         u16, network order
//   SK_SADDR_OFFSET        __sk_common.skc_rcv_saddr     IPv4, 4 bytes
//   SK_DADDR_OFFSET        __sk_common.skc_daddr         IPv4, 4 bytes
//   SK_V6_SADDR_OFFSET     __sk_common.skc_v6_rcv_saddr  IPv6, 16 bytes
//   SK_V6_DADDR_OFFSET     __sk_common.skc_v6_daddr      IPv6, 16 bytes
#pragma once

#include "module/spec.h"

namespace bcc {

ModuleSpec& socket_fields(ModuleSpec& spec);

}  // namespace bcc
