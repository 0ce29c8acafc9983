// Typed reading of configuration values: booleans, numbers and lists, each
// failure returned as what was expected, for the caller to place.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace bcc::config {

// True/False as Python's configparser accepts them (the retired agent's
// files use "True"): 1/0, yes/no, true/false, on/off, any case.
std::optional<bool> parse_bool(const std::string& text);

// A whole decimal number in [min, max]; no sign, no trailing text.
std::optional<uint64_t> parse_unsigned(const std::string& text, uint64_t min, uint64_t max);

// "a, b ,c" -> {"a","b","c"}; empty items are dropped.
std::vector<std::string> split_list(const std::string& text, char sep = ',');

std::string trim(const std::string& text);

}  // namespace bcc::config
