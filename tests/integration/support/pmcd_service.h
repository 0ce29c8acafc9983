// The machine's pmcd as a service: restarted as a boot or a package
// upgrade restarts it.
#pragma once

#include <string>

namespace bcc::test {

// Restarts pmcd with systemctl where systemd is PID 1, else with its init
// script; its output, and its exit status in `status`. Descriptors this
// process inherited are not passed on: pmcd would otherwise keep the
// integration-test lock (held on a descriptor the test run inherits) for
// as long as it runs.
std::string restart_pmcd(int* status);

// Marks every descriptor above stderr close-on-exec, so that no command this
// process runs from now on (a package's scripts starting pmcd) inherits them.
void close_inherited_on_exec();

}  // namespace bcc::test
