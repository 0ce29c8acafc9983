#include "pmda/control_group.h"

#include "config/agent_config.h"

namespace bcc {

namespace {
enum Item : size_t { kRegister, kDeregister, kPrograms };
}

ControlGroup::ControlGroup(std::string prefix, Actions actions)
    : AgentGroup(config::kControlCluster, std::move(prefix), ""), actions_(std::move(actions)) {
  declare("control.register", PM_TYPE_STRING, PM_SEM_DISCRETE, no_units(),
          "register a BCC program while the agent runs (pmstore its text)",
          "pmstore the text of a BCC program whose maps are declared as metrics by "
          "'// export:' annotations: the agent compiles and attaches it, and its metrics "
          "appear as bcc.custom.NAME.*, NAME coming from a '// name: NAME' annotation or "
          "generated (prog1, prog2, ...). Needs [pmda] allow_dynamic = True, and root or a "
          "user of [pmda] allowed_users. The store fails with 'No permission' when that is "
          "not so, and with 'Bad input to pmstore' for a program that is refused (over a "
          "limit, bad name or annotation) or does not compile or attach; the reason is in "
          "the agent's log and, once the program has a name, in bcc.info.programs. A store "
          "answers once the program runs or failed, or after 3 seconds while it still "
          "compiles (state \"compiling\" in bcc.info.programs). Read, this metric gives the "
          "name the calling client's last registration got, or \"refused: why\".");
  declare("control.deregister", PM_TYPE_STRING, PM_SEM_DISCRETE, no_units(),
          "remove a program registered at run time (pmstore its name)",
          "pmstore the name of a program registered through bcc.control.register: its "
          "probes are detached, its maps freed, and its bcc.custom.NAME.* metrics leave "
          "the namespace. 'Bad input to pmstore' when no program has that name. Reads as "
          "\"\".");
  declare("info.programs", PM_TYPE_STRING, PM_SEM_INSTANT, no_units(),
          "programs registered at run time, as a JSON list",
          "One object per program registered through bcc.control.register: \"name\", "
          "\"state\" (compiling, active, partial, failed), \"error\" (the compiler's "
          "message with line numbers, a refused annotation, or an attach error), "
          "\"metrics\" (full names), \"expires\" (true for unnamed programs, removed after "
          "[pmda] expiry seconds without a fetch of their metrics).");
}

void ControlGroup::read(std::vector<std::vector<Sample>>& out) {
  out.assign(metrics().size(), {});
  out[kRegister].push_back({"", actions_.last_registration()});
  out[kDeregister].push_back({"", std::string()});
  out[kPrograms].push_back({"", actions_.programs_json()});
}

int ControlGroup::store(size_t item, const std::string& instance, const Value& value) {
  const auto* text = std::get_if<std::string>(&value);
  if (!text) return PM_ERR_TYPE;
  if (item == kRegister) return actions_.register_program(*text);
  if (item == kDeregister) return actions_.deregister_program(*text);
  return PM_ERR_PERMISSION;
}

}  // namespace bcc
