// Who may change the agent's behaviour through pmstore. pmcd tells the agent
// each client context's user id (PMDA_FLAG_AUTHORIZE credentials, sent for
// local connections); a context whose user is not known is refused.
//
// Two rights:
// - store (profile start/stop and the like): root, [pmda] allowed_users,
//   and [pmda] register_users;
// - register programs (bcc.control.register, bcc.control.deregister): root
//   and [pmda] register_users only. A registered program runs in the kernel
//   with root's power (it can read any kernel memory, read and write any
//   process's memory, signal any process): registering IS root, and the
//   list says who is trusted with it. PCP's own service user (`pcp`, whose
//   identity pmproxy gives every HTTP client, and which pmlogger, pmie and
//   other agents run as) is refused in it.
#pragma once

#include <sys/types.h>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace bcc {

enum class StoreRight { store, register_programs };

class StoreAccess {
 public:
  // Names or numeric ids; an unknown name is left out and reported in
  // `unknown`. `service_user` is PCP's own user (PCP_USER, normally "pcp").
  explicit StoreAccess(const std::vector<std::string>& allowed_users = {},
                       const std::vector<std::string>& register_users = {},
                       const std::string& service_user = "pcp");

  const std::vector<std::string>& unknown() const { return unknown_; }
  // Why register_users cannot be used as it is ("" when it can): it names
  // the service user, by name or id.
  const std::string& register_problem() const { return register_problem_; }

  void set_user(int context, uid_t uid) { users_[context] = uid; }
  void end_context(int context) { users_.erase(context); }
  // Forgets every context's user: pmcd sends the credentials of the clients
  // connected when the agent starts, but no end-of-context notice for those
  // that leave before it is ready, and reuses their slots; a later client
  // whose credentials never come (it connected while the agent was not
  // ready) would inherit the uid. Returns how many were forgotten.
  size_t forget_all();
  // "" when the context's user has the right, otherwise why not.
  std::string refusal(int context, StoreRight right = StoreRight::store) const;

 private:
  std::set<uid_t> allowed_;   // store
  std::set<uid_t> register_;  // register programs
  std::vector<std::string> unknown_;
  std::string register_problem_;
  std::map<int, uid_t> users_;
};

}  // namespace bcc
