// The PMDA callbacks pmcd's requests arrive at.
#pragma once

#include <pcp/pmapi.h>
#include <pcp/pmda.h>

#include <chrono>
#include <mutex>

#include "pmda/metric_table.h"
#include "pmda/store_access.h"

namespace bcc {

// What the callbacks serve, the agent (src/agent.h) behind an interface so
// that this layer does not depend on the one above it.
class Served {
 public:
  virtual ~Served() = default;
  // Held by every callback. Recursive: pmdaLabel calls back into the
  // instance labels.
  virtual std::recursive_mutex& lock() = 0;
  virtual MetricTable& table() = 0;
  virtual StoreAccess& store_access() = 0;
  // A fetch read cluster `cluster` (programs registered at run time count
  // their readers); a client's context ended.
  virtual void cluster_fetched(unsigned cluster) = 0;
  virtual void context_ended(int context) = 0;
};

// When the fetch in progress began (steady clock).
std::chrono::steady_clock::time_point current_fetch_began();

// Points every callback of `dispatch` at `served` and calls pmdaInit with
// its tables. `served` must outlive the dispatch.
void install_callbacks(pmdaInterface& dispatch, Served& served);

// Just before the agent tells pmcd it is ready: reads what pmcd sent while
// the agent was not ready (the credentials of the clients connected when it
// started), then forgets every client's credentials. pmcd sends no
// end-of-context notice to an agent that is not ready and reuses the slot
// of a client that left, so a credential from before ready could be
// inherited by a later client whose own never came. Clients connected while
// the agent started must reconnect before they may store. False when pmcd
// closed the connection.
bool discard_early_credentials(pmdaInterface& dispatch, Served& served);

}  // namespace bcc
