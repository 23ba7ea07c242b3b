package livedesk

import (
	"context"
	"strings"
	"time"

	"github.com/livedesk/livedesk/hours"
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
	// History is every message of the conversation, in the order the desk
	// recorded them, inbound and outbound; the last inbound one is Message.
	// Recorded order is not always conversation order: an automatic
	// message (greeting) is recorded after the question that triggered it,
	// and an AI reply after the messages the customer wrote while its turn
	// ran. AIReplyTo tells which message an AI reply answered.
	History []store.Message
	// Message is the inbound message to answer.
	Message store.Message
	// Now is when the turn started, by the desk's clock.
	Now time.Time
	// BusinessHours is the channel's business-hours schedule when it has
	// one enabled (IsOpen(Now), NextOpen(Now)); nil otherwise.
	BusinessHours *hours.Schedule
	// FetchMedia downloads the media of one of the conversation's inbound
	// messages (a URL from History's Inbound.Media) with the channel's
	// Twilio credentials, which the agent never sees, reading at most
	// maxBytes (Options.MediaFetcher does the work). Nil in a hand-built
	// request.
	FetchMedia func(ctx context.Context, mediaURL string, maxBytes int64) (contentType string, data []byte, err error)
}

// aiReplyKeyPrefix starts the Key of an AI reply, followed by the ID of the
// inbound message its turn answered (so a redone turn queues nothing twice).
const aiReplyKeyPrefix = "ai:"

// AIReplyTo returns the ID of the inbound message an AI agent's reply
// answered, or "" when m is not an AI reply queued by the desk. A reply is
// recorded when its turn ends, so messages the customer wrote meanwhile
// come before it in History although the reply did not see them.
func AIReplyTo(m store.Message) string {
	if m.Kind != store.KindAI || m.Direction != store.Outbound {
		return ""
	}
	id, ok := strings.CutPrefix(m.Key, aiReplyKeyPrefix)
	if !ok {
		return ""
	}
	return id
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
	// Usage reports the tokens the whole turn cost (every request it made),
	// for metering; it is passed on in the turn's events.
	Usage AIUsage
	// ToolCalls are the host functions the agent called during the turn,
	// in order, with their results. They are never sent to the customer;
	// the desk reports each in an ai.tool_called event, also when the turn
	// ends in an error.
	ToolCalls []AIToolCall
}

// AIToolCall is one call an AI agent made to a host function.
type AIToolCall struct {
	// ID is the call's ID given by the model's API.
	ID string
	// Name is the function's name and Arguments its JSON arguments, as the
	// model wrote them.
	Name      string
	Arguments string
	// Result is what was given back to the model; empty when the call
	// ended the turn.
	Result string
	// Error says why the call failed: an error given back to the model, or
	// the reason the turn was handed off (a panic, no answer in time).
	Error string
}

// AIUsage counts tokens.
type AIUsage struct {
	PromptTokens     int `json:"prompt_tokens,omitempty"`
	CompletionTokens int `json:"completion_tokens,omitempty"`
	TotalTokens      int `json:"total_tokens,omitempty"`
}
