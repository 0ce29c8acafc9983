// What a program's text may include and declare, by where it comes from
// (SourcePolicy in protocol.h). The loader checks this before compiling: a
// program registered at run time by a PCP client must not read the
// machine's files through #include (clang quotes what it includes in its
// error messages) nor reach other programs' maps through pinned, public,
// shared or extern tables.
//
// The scan follows the C preprocessor's own reading of the text: line
// splices (backslash-newline, also with spaces before the newline, and
// ??/ with trigraphs), comments, string and character literals, %: for #,
// CR and CRLF line ends, NUL and Unicode spaces as white space. Where
// clang's reading could differ (trigraphs on or off; a # after a comment
// that spans lines), every reading is checked.
#pragma once

#include <string>

#include "loader/protocol.h"

namespace bcc::loader {

// "" when `source` may be compiled under `policy`, otherwise the first
// problem, naming its line ("line 3: #include \"/etc/shadow\": ..."). Lines
// are counted as the program is written: after a `#line N` directive, the
// next line is N. `include_dir`: the folder a custom program's "file"
// includes come from ("" = none allowed).
std::string policy_problem(const std::string& source, SourcePolicy policy,
                           const std::string& include_dir);

}  // namespace bcc::loader
