#include "loader/program.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

#include "bpf/kernel.h"
#include "loader/loader_client.h"
#include "config/trusted_file.h"

namespace bcc {

namespace {

// Removes probe events libbcc made in tracefs (where the kernel has no perf
// PMU for them) once nothing is attached to them any more.
void remove_tracefs_events(const std::vector<std::string>& events) {
  std::string dir = tracefs_dir();
  if (dir.empty()) return;
  for (const std::string& event : events)
    for (const char* file : {"/kprobe_events", "/uprobe_events"}) {
      std::ofstream out(dir + file, std::ios::app);
      if (out) out << "-:" << event << "\n";
    }
}

}  // namespace

Program::~Program() {
  std::set<int> closed;
  auto close_once = [&](int fd) {
    if (fd >= 0 && closed.insert(fd).second) close(fd);
  };
  for (int fd : links_) close_once(fd);  // detaches first
  for (const auto& [name, fd] : functions_) close_once(fd);
  for (const auto& [name, fd] : maps_) close_once(fd);
  if (!tracefs_events_.empty()) remove_tracefs_events(tracefs_events_);
}

int Program::fd(const std::string& map) const {
  auto it = maps_.find(map);
  if (it == maps_.end()) throw std::runtime_error("program has no map '" + map + "'");
  return it->second;
}

MapInfo Program::info(const std::string& map) {
  auto it = info_.find(map);
  return it != info_.end() ? it->second : Maps::info(map);
}

MapBytes Program::array_values(const std::string& map) {
  auto it = mapped_.find(map);
  if (it == mapped_.end()) return Maps::array_values(map);
  auto values = std::make_shared<std::vector<char>>();
  it->second->copy_values(*values);
  return MapBytes(std::move(values));
}

int Program::function_fd(const std::string& function) const {
  auto it = functions_.find(function);
  return it == functions_.end() ? -1 : it->second;
}

BuildOutcome build_program(const loader::BuildRequest& request, std::chrono::seconds timeout) {
  BuildOutcome out;
  LoaderRun run = run_loader(request, timeout);
  out.compile_seconds = run.manifest.compile_seconds;
  out.kernel_headers = run.manifest.kernel_headers;
  out.compiler_output = run.manifest.compiler_output;
  if (!run.failure.empty()) {
    out.error = run.failure;
    return out;
  }
  std::unique_ptr<Program> program(new Program());
  std::vector<bool> kept(run.fds.size(), false);
  auto take = [&](int index) {
    if (index < 0 || static_cast<size_t>(index) >= run.fds.size()) return -1;
    kept[index] = true;
    return run.fds[index];
  };
  for (const auto& map : run.manifest.maps) {
    int fd = take(map.fd);
    if (fd >= 0) program->maps_[map.name] = fd;
  }
  for (const auto& [name, fd] : program->maps_) {
    try {
      MapInfo info = program->Maps::info(name);
      program->info_[name] = info;
      if (auto mapped = MappedArray::map(fd, info)) program->mapped_[name] = std::move(mapped);
    } catch (const std::runtime_error&) {
      // asked again at each read, which then reports the error
    }
  }
  for (const auto& a : run.manifest.attachments) {
    out.attach_errors.push_back(a.error);
    if (!a.error.empty()) continue;
    // a function attached twice (one per process) comes twice
    int fd = take(a.program);
    if (fd >= 0 && !program->functions_.emplace(a.function, fd).second) close(fd);
    for (int link : a.links)
      if (int fd = take(link); fd >= 0) program->links_.push_back(fd);
  }
  // descriptors the manifest does not name (attachments that failed half way)
  for (size_t i = 0; i < run.fds.size(); i++)
    if (!kept[i]) close(run.fds[i]);
  program->tracefs_events_ = run.manifest.tracefs_events;
  if (!run.manifest.error.empty()) {
    out.error = run.manifest.error;
    return out;  // the program's destructor closes whatever came
  }
  if (out.attach_errors.size() != request.attach.size()) {
    out.error = "the loader reported " + std::to_string(out.attach_errors.size()) +
                " attachments for " + std::to_string(request.attach.size()) + " probes";
    return out;
  }
  out.program = std::move(program);
  return out;
}

std::string read_program_file(const std::string& path) {
  config::TrustedText file = config::read_trusted_file(path);
  if (file.missing)
    throw std::runtime_error("cannot read BPF program " + path + ": " + std::strerror(ENOENT));
  if (!file.error.empty()) throw std::runtime_error(file.error);
  return file.text;
}

}  // namespace bcc
