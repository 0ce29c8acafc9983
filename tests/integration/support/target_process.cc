#include "support/target_process.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <thread>

namespace bcc::test {

TargetProcess::TargetProcess(const std::string& command) {
  int in[2], out[2];
  // close-on-exec: a target started later must not hold this one's input
  // open (it would never see its end)
  if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0) return;
  pid_ = fork();
  if (pid_ == 0) {
    dup2(in[0], 0);
    dup2(out[1], 1);
    close(in[0]);
    close(in[1]);
    close(out[0]);
    close(out[1]);
    execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  to_ = in[1];
  from_ = fdopen(out[0], "r");
}

TargetProcess::~TargetProcess() { finish(); }

bool TargetProcess::work() {
  if (to_ < 0 || !from_) return false;
  if (write(to_, "go\n", 3) != 3) return false;
  char line[64];
  return fgets(line, sizeof line, from_) && strncmp(line, "done", 4) == 0;
}

void TargetProcess::finish() {
  if (to_ >= 0) close(to_);
  to_ = -1;
  if (from_) fclose(from_);
  from_ = nullptr;
  if (pid_ > 0) waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

std::string probe_target_path() { return std::string(TEST_HELPER_DIR) + "/probe_target"; }

std::string probe_library_path() {
  return std::string(TEST_HELPER_DIR) + "/libpmdabcc_probe_library.so";
}

const char* const kLibjvm = "/usr/lib/jvm/java-17-openjdk-amd64/lib/server/libjvm.so";

std::string java_target_unavailable() {
  if (access("/usr/bin/java", X_OK) != 0 || access(kLibjvm, R_OK) != 0)
    return "OpenJDK 17 is not installed (openjdk-17-jdk-headless)";
  if (access(TEST_HELPER_DIR "/java/PmdabccJavaTarget.class", R_OK) != 0)
    return "PmdabccJavaTarget is not built (javac missing when the build was configured)";
  return "";
}

std::string java_target_command(int calls, int threads) {
  return std::string("exec java -XX:+ExtendedDTraceProbes -cp ") + TEST_HELPER_DIR +
         "/java PmdabccJavaTarget " + std::to_string(calls) + " " + std::to_string(threads);
}

std::string start_followed_jvm(TargetProcess*& jvm, std::string& unavailable) {
  unavailable = java_target_unavailable();
  if (!unavailable.empty()) return "0";
  jvm = new TargetProcess(java_target_command(1000, 4));
  if (jvm->pid() > 0 && jvm->work()) return std::to_string(jvm->pid());
  unavailable = "the suite's JVM did not start";
  return "0";
}

}  // namespace bcc::test
