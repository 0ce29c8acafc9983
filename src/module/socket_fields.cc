#include "module/socket_fields.h"

namespace bcc {

ModuleSpec& socket_fields(ModuleSpec& spec) {
  return spec.btf_offset("SK_FAMILY_OFFSET", "sock", "__sk_common.skc_family")
      .btf_offset("SK_LPORT_OFFSET", "sock", "__sk_common.skc_num")
      .btf_offset("SK_DPORT_OFFSET", "sock", "__sk_common.skc_dport")
      .btf_offset("SK_SADDR_OFFSET", "sock", "__sk_common.skc_rcv_saddr")
      .btf_offset("SK_DADDR_OFFSET", "sock", "__sk_common.skc_daddr")
      .btf_offset("SK_V6_SADDR_OFFSET", "sock", "__sk_common.skc_v6_rcv_saddr")
      .btf_offset("SK_V6_DADDR_OFFSET", "sock", "__sk_common.skc_v6_daddr");
}

}  // namespace bcc
