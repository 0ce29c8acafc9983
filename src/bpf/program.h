// One compiled BPF program (a module's .bpf file) and its attachments.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "bpf/probe.h"

namespace ebpf {
class BPF;
}

namespace bcc {

class Program {
 public:
  Program();
  ~Program();  // detaches every probe and closes every map
  Program(const Program&) = delete;
  Program& operator=(const Program&) = delete;

  // Compiles `source` with `-D` macros; "" on success, else the compiler's
  // error lines (all of its output also goes to the agent's log). USDT
  // probes to be attached later must be named here: libbcc generates the
  // code that reads their arguments.
  std::string compile(const std::string& source, const std::vector<std::string>& defines,
                      const std::vector<ProbeAlternative>& usdt_probes = {});
  // Loads and attaches the alternative's function; "" on success, else why.
  std::string attach(const ProbeAlternative& alt);
  // Releases the compiler's memory; maps and programs stay.
  void free_compiler_memory();
  // The descriptor of the loaded function of an attached alternative, or -1.
  int function_fd(const ProbeAlternative& alt);
  // The descriptor of a map of the program, or -1.
  int map_fd(const std::string& name);

  ebpf::BPF& bpf() { return *bpf_; }

 private:
  std::unique_ptr<ebpf::BPF> bpf_;
};

// The file's text, or throws std::runtime_error naming the file.
std::string read_program_file(const std::string& path);

}  // namespace bcc
