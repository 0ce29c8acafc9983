// Regular expressions given in bcc.conf (filters, probe lists), all in RE2
// syntax: linear-time matching, so no pattern an operator writes can make
// the agent hang on a long command line.
#pragma once

#include <memory>
#include <string>

namespace re2 {
class RE2;
}

namespace bcc::config {

class Pattern {
 public:
  // Throws std::invalid_argument with RE2's explanation when `text` does
  // not compile.
  explicit Pattern(const std::string& text);
  ~Pattern();
  Pattern(Pattern&&) noexcept;
  Pattern& operator=(Pattern&&) noexcept;

  bool matches_whole(const std::string& text) const;  // anchored at both ends
  bool found_in(const std::string& text) const;       // anywhere in the text

 private:
  std::unique_ptr<re2::RE2> re_;
};

}  // namespace bcc::config
