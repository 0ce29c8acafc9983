// PCP carries a value in a block whose length field has 24 bits (the 4-byte
// header included), so a longer string would reach clients cut short, with
// no sign of it. The agent hands over a marker instead.
#pragma once

#include <cstddef>
#include <string>

namespace bcc {

// The longest string PCP carries whole: PM_VAL_VLEN_MAX (2^24 - 1), less
// the block header (PM_VAL_HDR_SIZE) and the terminating NUL.
constexpr size_t kMaxStringValue = 0xFFFFFF - 4 - 1;

// `value` itself when PCP can carry it; otherwise a JSON object, valid for
// the JSON-valued metrics (bcc.proc.profile, bcc.info.programs), that says
// why: {"error": "value of N bytes is over PCP's 16 MiB limit"}. The marker
// lives until the calling thread's next call.
const std::string& within_string_limit(const std::string& value);

}  // namespace bcc
