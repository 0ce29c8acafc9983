// Probe lists of the generic modules (tracepoint_hits, uprobe_hits,
// usdt_hits): given in bcc.conf as a comma list ("c:malloc,c:strlen"), or
// as the name of a file next to bcc.conf holding one probe per line.
#pragma once

#include <string>
#include <vector>

namespace bcc {

// The probes an option names. A value with ':' is the list itself; any
// other value names a file (relative to `config_dir` unless absolute); an
// empty value reads `default_file` in `config_dir` if it exists. In files,
// '#' starts a comment and blank lines are skipped. Duplicates are dropped.
// Throws config::ConfigError naming a file that cannot be read.
std::vector<std::string> read_probe_list(const std::string& value, const std::string& config_dir,
                                         const std::string& default_file);

// Probe list text, one per line, '#' comments.
std::vector<std::string> parse_probe_lines(const std::string& text);

struct PatternMatches {
  std::vector<std::string> found;    // every available name matched, in `available` order
  std::vector<std::string> missing;  // patterns that matched nothing
};

// Each pattern is an exact name or a regular expression matched against
// whole names ("sched:sched_process_.*"). A pattern that is not a valid
// regular expression matches only itself.
PatternMatches match_patterns(const std::vector<std::string>& patterns,
                              const std::vector<std::string>& available);

// "lib:symbol" -> {"lib", "symbol"}, split at the last ':'; {"", s} without one.
std::pair<std::string, std::string> split_probe(const std::string& probe);

}  // namespace bcc
