// The declaration ext4dist, xfsdist and zfsdist share: latency histograms
// of a file system's open, read, write and fsync (modules/fsdist.bpf), in
// microseconds, in one instance domain of log2 buckets.
#pragma once

#include <string>
#include <vector>

#include "module/spec.h"

namespace bcc {

struct FsOperation {
  std::string name;  // "open", "read", "write", "fsync"
  std::vector<ProbeAlternative> entry;
  std::vector<ProbeAlternative> exit;  // each alternative pairs with entry's
};

// `fs` names the metrics (bcc.fs.<fs>.latency.<op>) and selects the
// program's section (-DFS_<FS>). Every probe is optional: an operation the
// kernel offers no probe for has no values, and the status says why.
ModuleSpec fs_latency_module(const std::string& type, const std::string& fs,
                             std::vector<FsOperation> operations);

}  // namespace bcc
