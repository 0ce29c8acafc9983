// Who may change the agent's behaviour through pmstore: root, and the users
// [pmda] allowed_users names. pmcd tells the agent each client context's
// user id (PMDA_FLAG_AUTHORIZE credentials, sent for local connections); a
// context whose user is not known is refused.
#pragma once

#include <sys/types.h>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace bcc {

class StoreAccess {
 public:
  // Names or numeric ids; an unknown name is left out and reported in
  // `unknown`.
  explicit StoreAccess(const std::vector<std::string>& allowed_users = {});

  const std::vector<std::string>& unknown() const { return unknown_; }
  void set_user(int context, uid_t uid) { users_[context] = uid; }
  void end_context(int context) { users_.erase(context); }
  // "" when the context's user may store, otherwise why not.
  std::string refusal(int context) const;

 private:
  std::set<uid_t> allowed_;
  std::vector<std::string> unknown_;
  std::map<int, uid_t> users_;
};

}  // namespace bcc
