#include "pmda/store_access.h"

#include <pwd.h>

#include <optional>

#include "config/values.h"

namespace bcc {

namespace {

std::optional<uid_t> user_id(const std::string& user) {
  if (auto id = config::parse_unsigned(user, 0, UINT32_MAX - 1)) return static_cast<uid_t>(*id);
  if (const passwd* pw = getpwnam(user.c_str())) return pw->pw_uid;
  return std::nullopt;
}

}  // namespace

StoreAccess::StoreAccess(const std::vector<std::string>& allowed_users,
                         const std::vector<std::string>& register_users,
                         const std::string& service_user) {
  allowed_.insert(0);  // root
  register_.insert(0);
  std::optional<uid_t> service = user_id(service_user);
  for (const std::string& user : allowed_users) {
    if (auto id = user_id(user))
      allowed_.insert(*id);
    else
      unknown_.push_back(user);
  }
  for (const std::string& user : register_users) {
    std::optional<uid_t> id = user_id(user);
    if (user == service_user || (id && service && *id == *service && *id != 0)) {
      if (register_problem_.empty())
        register_problem_ =
            "[pmda] register_users names '" + user + "', PCP's own user (" + service_user +
            "): registering a program is root (the program can read any kernel memory, read "
            "and write any process's memory and signal any process), and " + service_user +
            " is the identity pmproxy gives every HTTP client, and that pmlogger, pmie and "
            "other agents run as. Name the people trusted with root instead; HTTP clients "
            "cannot register programs";
      continue;
    }
    if (id) {
      register_.insert(*id);
      allowed_.insert(*id);  // who may register may also store
    } else {
      unknown_.push_back(user);
    }
  }
}

size_t StoreAccess::forget_all() {
  size_t n = users_.size();
  users_.clear();
  return n;
}

std::string StoreAccess::refusal(int context, StoreRight right) const {
  auto it = users_.find(context);
  if (it == users_.end())
    return "the client's user is unknown (stores need a local connection, which carries "
           "credentials; clients connected while the agent started must reconnect)";
  std::string uid = std::to_string(it->second);
  if (right == StoreRight::register_programs) {
    if (register_.count(it->second)) return "";
    return "user id " + uid + " may not register programs: registering is root, for root "
           "and the users of [pmda] register_users only";
  }
  if (allowed_.count(it->second)) return "";
  return "user id " + uid + " is neither root nor in [pmda] allowed_users";
}

}  // namespace bcc
