#include "config/pattern.h"

#include <re2/re2.h>

#include <stdexcept>

namespace bcc::config {

Pattern::Pattern(const std::string& text) {
  RE2::Options options;
  options.set_log_errors(false);  // the caller reports the error, once
  re_ = std::make_unique<RE2>(text, options);
  if (!re_->ok())
    throw std::invalid_argument("'" + text + "' is not a valid regular expression: " +
                                re_->error());
}

Pattern::~Pattern() = default;
Pattern::Pattern(Pattern&&) noexcept = default;
Pattern& Pattern::operator=(Pattern&&) noexcept = default;

bool Pattern::matches_whole(const std::string& text) const { return RE2::FullMatch(text, *re_); }

bool Pattern::found_in(const std::string& text) const { return RE2::PartialMatch(text, *re_); }

}  // namespace bcc::config
