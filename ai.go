package livedesk

import (
	"context"

	"github.com/livedesk/livedesk/routing"
	"github.com/livedesk/livedesk/store"
)

// AIAgent answers customers in the conversations it owns. The desk calls
// it from Run (never inside a webhook request), once per inbound message
// (when several arrive while it is busy, once for the latest), with the
// whole conversation so far.
//
// Respond returns a reply, a hand-off to humans, or both (a last word, then
// the hand-off). An error, a timeout (Options.AITimeout) or an empty
// response also hands the conversation to humans. After a hand-off the
// conversation is never given to an AI agent again.
type AIAgent interface {
	Respond(ctx context.Context, req AIRequest) (AIResponse, error)
}

// AIAgentFunc adapts a function to the AIAgent interface.
type AIAgentFunc func(ctx context.Context, req AIRequest) (AIResponse, error)

// Respond calls f.
func (f AIAgentFunc) Respond(ctx context.Context, req AIRequest) (AIResponse, error) {
	return f(ctx, req)
}

// AIRequest is what an AI agent gets for one turn.
type AIRequest struct {
	// AIAgentID is the ID the agent was registered under.
	AIAgentID string
	// ChannelID and ChannelName say where the conversation happens.
	ChannelID   string
	ChannelName string
	// Conversation and Contact are the current records.
	Conversation store.Conversation
	Contact      store.Contact
	// History is every message of the conversation, oldest first, inbound
	// and outbound; the last inbound one is Message.
	History []store.Message
	// Message is the inbound message to answer.
	Message store.Message
}

// AIResponse is an AI agent's turn.
type AIResponse struct {
	// Text is the reply to send (plain WhatsApp text, at most 1600
	// characters); empty for none.
	Text string
	// Handoff gives the conversation to humans, with Reason for the agents
	// and the logs. Target optionally narrows who: a team or one agent
	// (Target.AIAgent is ignored); the zero Target means the channel's
	// pool.
	Handoff bool
	Reason  string
	Target  routing.Target
	// Usage reports the tokens the turn cost, for metering; it is passed on
	// in the turn's event.
	Usage AIUsage
}

// AIUsage counts tokens.
type AIUsage struct {
	PromptTokens     int `json:"prompt_tokens,omitempty"`
	CompletionTokens int `json:"completion_tokens,omitempty"`
	TotalTokens      int `json:"total_tokens,omitempty"`
}
