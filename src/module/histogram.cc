#include "module/histogram.h"

#include <algorithm>

#include "config/values.h"

namespace bcc {

std::string log2_bucket_name(size_t slot) {
  if (slot <= 1) return "0-1";
  uint64_t low = uint64_t{1} << (slot - 1);
  uint64_t high = slot >= 64 ? UINT64_MAX : (uint64_t{1} << slot) - 1;
  return std::to_string(low) + "-" + std::to_string(high);
}

std::optional<std::pair<uint64_t, uint64_t>> bucket_bounds(const std::string& name) {
  size_t dash = name.find('-');
  if (dash == std::string::npos) return std::nullopt;
  auto low = config::parse_unsigned(name.substr(0, dash), 0, UINT64_MAX);
  auto high = config::parse_unsigned(name.substr(dash + 1), 0, UINT64_MAX);
  if (!low || !high || *low > *high) return std::nullopt;
  return std::make_pair(*low, *high);
}

size_t highest_log2_slot(const std::vector<uint64_t>& slots) {
  size_t highest = 1;
  for (size_t i = 2; i < slots.size(); i++)
    if (slots[i]) highest = i;
  return highest;
}

void log2_samples(const std::vector<uint64_t>& slots, std::vector<Sample>& out) {
  log2_samples(slots, out, 1);
}

void log2_samples(const std::vector<uint64_t>& slots, std::vector<Sample>& out, size_t up_to) {
  size_t highest = std::max(highest_log2_slot(slots), up_to);
  uint64_t first = 0;
  for (size_t i = 0; i < slots.size() && i <= 1; i++) first += slots[i];
  out.push_back({log2_bucket_name(1), first});
  for (size_t i = 2; i <= highest && i < 64; i++)
    out.push_back({log2_bucket_name(i), i < slots.size() ? slots[i] : 0});
}

std::string linear_bucket_name(size_t slot, uint64_t width) {
  return std::to_string(slot * width) + "-" + std::to_string((slot + 1) * width - 1);
}

void linear_samples(const std::vector<uint64_t>& slots, uint64_t width, std::vector<Sample>& out) {
  size_t highest = 0;
  for (size_t i = 0; i < slots.size(); i++)
    if (slots[i]) highest = i;
  for (size_t i = 0; i <= highest && i < slots.size(); i++)
    out.push_back({linear_bucket_name(i, width), slots[i]});
}

}  // namespace bcc
