// One BPF program as a loader built it: the descriptors of its maps, its
// loaded functions and its attachments. The agent holds nothing else of it:
// closing the descriptors (the destructor) detaches every probe and frees
// every map.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "bpf/maps.h"
#include "bpf/mapped_array.h"
#include "loader/protocol.h"

namespace bcc {

struct BuildOutcome;

class Program : public Maps {
 public:
  ~Program() override;
  Program(const Program&) = delete;
  Program& operator=(const Program&) = delete;

  int fd(const std::string& map) const override;
  // What the kernel said of the map when the program was built: a map's
  // type and sizes never change, and a fetch asks for them at every read.
  MapInfo info(const std::string& map) override;
  // A BPF_F_MMAPABLE array from the mapping made when it was built.
  MapBytes array_values(const std::string& map) override;
  // The descriptor of an attached function, or -1.
  int function_fd(const std::string& function) const;
  // Every map the loader handed back: (name, descriptor).
  const std::map<std::string, int>& maps() const { return maps_; }

 private:
  friend BuildOutcome build_program(const loader::BuildRequest& request,
                                    std::chrono::seconds timeout);
  Program() = default;

  std::map<std::string, int> maps_;
  std::map<std::string, MapInfo> info_;  // filled at build, read-only after
  std::map<std::string, std::unique_ptr<MappedArray>> mapped_;  // likewise
  std::map<std::string, int> functions_;
  std::vector<int> links_;
  std::vector<std::string> tracefs_events_;
};

struct BuildOutcome {
  // the attached program; null when nothing could be built (see error)
  std::unique_ptr<Program> program;
  // refused, compile failed, or the loader crashed, was killed or timed out
  std::string error;
  // one per request.attach: "" when attached, else why not
  std::vector<std::string> attach_errors;
  double compile_seconds = 0;
  std::string kernel_headers;   // what it was compiled against (Manifest::kernel_headers)
  std::string compiler_output;  // warnings included, for the log
};

// Builds the request in a loader process, waiting at most `timeout`.
BuildOutcome build_program(const loader::BuildRequest& request, std::chrono::seconds timeout);

// The file's text, or throws std::runtime_error naming the file.
std::string read_program_file(const std::string& path);

}  // namespace bcc
