// The loader's work proper: compile a request's program with libbcc, load
// and attach its functions, and collect the descriptors the agent needs.
#pragma once

#include <vector>

#include "loader/protocol.h"

namespace bcc::loader {

// Compiles, attaches every request.attach entry (each independently) and
// looks up request.maps. Returns the manifest; `fds` receives the
// descriptors it names, in index order. The descriptors belong to libbcc's
// objects, which are never destroyed: the process must end with _exit
// after sending them (a destructor would detach everything).
Manifest build(const BuildRequest& request, std::vector<int>* fds);

}  // namespace bcc::loader
