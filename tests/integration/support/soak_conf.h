// The bcc.conf of the soak: every module type the installed agent has that
// the shipped bcc.conf documents, with the shipped section's keys, and each
// perf buffer shrunk so that a storm of events overflows it.
#pragma once

#include <string>
#include <vector>

namespace bcc::test {

struct SoakConf {
  std::string text;                       // the bcc.conf
  std::vector<std::string> sections;      // enabled, in order
  std::vector<std::string> tiny_buffers;  // those whose perf buffers were shrunk
  std::vector<std::string> unconfigured;  // types the shipped bcc.conf has no section for
  std::vector<std::string> following;     // those that follow `followed_process`
};

// The module types of the installed pmdabcc (--list-modules).
std::vector<std::string> installed_module_types(const std::string& pmda_dir);

// `shipped` is a bcc.conf whose sections configure module types (the one
// in the source tree: `shipped_conf_path()`); modules with a perf buffer
// (a `buffer_page_count` key, set or shown commented out) get `pages` pages.
// `pmda_keys` are added to [pmda] ("prog_stats = True"). Sections whose
// shipped `process` is set (modules that must follow a process, such as a
// JVM) follow `followed_process` instead, a process the soak runs: the
// shipped value names a process this machine need not run, and without
// process_refresh a module whose process does not exist fails.
SoakConf soak_conf(const std::string& shipped, const std::vector<std::string>& types, int pages,
                   const std::vector<std::string>& pmda_keys,
                   const std::string& followed_process);

// bcc.conf in the source tree.
std::string shipped_conf_path();

}  // namespace bcc::test
