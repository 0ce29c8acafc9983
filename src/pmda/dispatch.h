// The PMDA callbacks pmcd's requests arrive at.
#pragma once

#include <pcp/pmapi.h>
#include <pcp/pmda.h>

namespace bcc {

class Agent;

// Points every callback of `dispatch` at `agent` and calls pmdaInit with
// the agent's tables. The agent must outlive the dispatch.
void install_callbacks(pmdaInterface& dispatch, Agent& agent);

// Just before the agent tells pmcd it is ready: reads what pmcd sent while
// the agent was not ready (the credentials of the clients connected when it
// started), then forgets every client's credentials. pmcd sends no
// end-of-context notice to an agent that is not ready and reuses the slot
// of a client that left, so a credential from before ready could be
// inherited by a later client whose own never came. Clients connected while
// the agent started must reconnect before they may store. False when pmcd
// closed the connection.
bool discard_early_credentials(pmdaInterface& dispatch, Agent& agent);

}  // namespace bcc
