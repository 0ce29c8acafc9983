// A process the user-space probe tests follow: tests/helpers/probe_target
// (or any command speaking its protocol), started with pipes to its input
// and output.
#pragma once

#include <functional>
#include <string>

#include "support/wait.h"

namespace bcc::test {

class TargetProcess {
 public:
  // Runs `command` with /bin/sh; it should `exec` the target so that the
  // pid is the target's.
  explicit TargetProcess(const std::string& command);
  ~TargetProcess();  // ends its input and waits for it

  int pid() const { return pid_; }
  // Asks for one round of work and waits until it is done; false if it died.
  bool work();
  // Ends its input and waits for it to exit.
  void finish();

 private:
  int pid_ = -1;
  int to_ = -1;
  FILE* from_ = nullptr;
};

// The probe_target helper built with the tests.
std::string probe_target_path();

// The suite's shared library for uprobes on a library (probe_target
// LIBRARY calls its pmdabcc_library_tick).
std::string probe_library_path();

// The OpenJDK 17 libjvm.so the JVM tests follow.
extern const char* const kLibjvm;
// Why the suite's JVM (tests/helpers/PmdabccJavaTarget.java on OpenJDK 17)
// cannot run here, or "".
std::string java_target_unavailable();
// The command that runs it, for TargetProcess: each work() calls a method
// `calls` times and starts and joins `threads` threads.
std::string java_target_command(int calls, int threads);
// Starts the suite's JVM for modules that follow a process and returns its
// pid as text once it has done one round of work (libjvm.so mapped), or
// "0" (no such process: those modules fail, and say so) with `unavailable`
// saying why. `jvm` owns the process (nullptr when none was started).
std::string start_followed_jvm(TargetProcess*& jvm, std::string& unavailable);


}  // namespace bcc::test
