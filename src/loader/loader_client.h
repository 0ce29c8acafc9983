// Running a loader: the agent's side of src/loader/protocol.h. The loader
// is spawned with the request, watched against a deadline, and killed past
// it; whatever happens to it (refusal, compile error, crash, timeout) comes
// back as a LoaderRun, never as an exception.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "loader/protocol.h"

namespace bcc {

struct LoaderRun {
  // why nothing came back: the loader crashed, was killed, timed out or
  // sent something unreadable ("" when a manifest arrived; the manifest's
  // own error says whether the build itself failed)
  std::string failure;
  loader::Manifest manifest;
  std::vector<int> fds;  // received, in manifest numbering; the caller owns them
  // what the loader printed outside its compiles, libbcc's noise removed
  std::string stderr_text;
};

// The loader installed next to this executable (pmdabcc-loader), or the
// one PMDABCC_LOADER names.
std::string loader_path();

LoaderRun run_loader(const loader::BuildRequest& request, std::chrono::seconds timeout);

}  // namespace bcc
