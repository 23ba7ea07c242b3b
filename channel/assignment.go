package channel

import (
	"fmt"
	"strings"

	"github.com/livedesk/livedesk/routing"
)

// Assignment decides who owns a channel's new conversations, in a fixed
// priority: routing rules first (the first rule whose conditions hold
// decides), then an enabled AI agent, then the channel's human agents by
// Strategy.
type Assignment struct {
	// Strategy picks among available human agents: least_loaded (the
	// default) or round_robin.
	Strategy routing.Strategy `json:"strategy,omitempty"`
	// Rules are evaluated in order; see package routing for their JSON form.
	Rules []routing.Rule `json:"rules,omitempty"`
	// Agents are the IDs of the human agents who serve the channel.
	Agents []string `json:"agents,omitempty"`
	// AIAgents are the AI agents added to the channel; the first enabled
	// one takes conversations no rule routed.
	AIAgents []AIAgentRef `json:"ai_agents,omitempty"`
	// Sticky gives a returning contact's new conversation to the agent of
	// their previous one when that agent is available.
	Sticky bool `json:"sticky,omitempty"`
	// RequeueOffline puts an agent's open conversations back in the queue
	// when the agent goes offline, so others take them.
	RequeueOffline bool `json:"requeue_offline,omitempty"`
	// AutoMessagesWithAI keeps sending the greeting and out-of-office
	// messages when an AI agent owns the conversation. Off by default: the AI
	// agent does the talking.
	AutoMessagesWithAI bool `json:"auto_messages_with_ai,omitempty"`
}

// AIAgentRef is an AI agent on a channel. ID names an implementation given
// to the desk (Options.AIAgents).
type AIAgentRef struct {
	ID      string `json:"id"`
	Enabled bool   `json:"enabled"`
}

// EnabledAI returns the first enabled AI agent's ID, or "".
func (a Assignment) EnabledAI() string {
	for _, r := range a.AIAgents {
		if r.Enabled {
			return r.ID
		}
	}
	return ""
}

// HasAgent reports whether the human agent serves the channel.
func (a Assignment) HasAgent(id string) bool {
	for _, x := range a.Agents {
		if x == id {
			return true
		}
	}
	return false
}

func (a Assignment) validate(ps *problems) {
	if err := a.Strategy.Validate(); err != nil {
		ps.add("Settings.Assignment.Strategy", "%q is unknown: want %q or %q", a.Strategy, routing.StrategyLeastLoaded, routing.StrategyRoundRobin)
	}
	if _, err := routing.Compile(a.Rules); err != nil {
		*ps = append(*ps, Problem{Field: "Settings.Assignment.Rules", Message: strings.TrimPrefix(err.Error(), "routing: "), Err: err})
	}
	seen := map[string]bool{}
	for i, id := range a.Agents {
		switch {
		case strings.TrimSpace(id) == "":
			ps.add(fmt.Sprintf("Settings.Assignment.Agents[%d]", i), "is empty")
		case seen[id]:
			ps.add(fmt.Sprintf("Settings.Assignment.Agents[%d]", i), "%q is listed twice", id)
		}
		seen[id] = true
	}
	seen = map[string]bool{}
	for i, r := range a.AIAgents {
		switch {
		case strings.TrimSpace(r.ID) == "":
			ps.add(fmt.Sprintf("Settings.Assignment.AIAgents[%d].ID", i), "is empty")
		case seen[r.ID]:
			ps.add(fmt.Sprintf("Settings.Assignment.AIAgents[%d].ID", i), "%q is listed twice", r.ID)
		}
		seen[r.ID] = true
	}
}
