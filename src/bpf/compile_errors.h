// The compiler's error messages as an operator can use them. libbcc
// compiles a rewritten text (for each TRACEPOINT_PROBE it inserts the
// tracepoint's struct above the function), so clang's line numbers are
// those of the rewritten text; the line clang quotes under each error is
// found in the program as written to give its real line number.
#pragma once

#include <string>

namespace bcc {

// The "error:" lines of clang's output joined with " | ", each
// "NAME:LINE:COL: error: ..." renumbered to the line of `source` that
// holds the code clang quotes below it (the nearest at or above LINE),
// when there is one. A prelude ending with a "#line 1" line is not counted.
std::string compile_errors(const std::string& compiler_output, const std::string& source);

}  // namespace bcc
