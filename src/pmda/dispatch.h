// The PMDA callbacks pmcd's requests arrive at.
#pragma once

#include <pcp/pmapi.h>
#include <pcp/pmda.h>

namespace bcc {

class Agent;

// Points every callback of `dispatch` at `agent` and calls pmdaInit with
// the agent's tables. The agent must outlive the dispatch.
void install_callbacks(pmdaInterface& dispatch, Agent& agent);

}  // namespace bcc
