#include "pmda/store_access.h"

#include <pwd.h>

#include "config/values.h"

namespace bcc {

StoreAccess::StoreAccess(const std::vector<std::string>& allowed_users) {
  allowed_.insert(0);  // root
  for (const std::string& user : allowed_users) {
    if (auto id = config::parse_unsigned(user, 0, UINT32_MAX - 1)) {
      allowed_.insert(static_cast<uid_t>(*id));
    } else if (const passwd* pw = getpwnam(user.c_str())) {
      allowed_.insert(pw->pw_uid);
    } else {
      unknown_.push_back(user);
    }
  }
}

std::string StoreAccess::refusal(int context) const {
  auto it = users_.find(context);
  if (it == users_.end())
    return "the client's user is unknown (stores need a local connection, which "
           "carries credentials)";
  if (allowed_.count(it->second)) return "";
  return "user id " + std::to_string(it->second) +
         " is neither root nor in [pmda] allowed_users";
}

}  // namespace bcc
