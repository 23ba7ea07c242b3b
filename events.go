package livedesk

import (
	"context"
	"time"

	"github.com/livedesk/livedesk/routing"
)

// EventType names what happened.
type EventType string

// Event types. More are added as the desk grows; a handler should ignore
// types it does not know.
const (
	// EventMessageReceived: an inbound message was recorded (once per
	// MessageSid; duplicates do not emit it).
	EventMessageReceived EventType = "message.received"
	// EventConversationOpened: a customer started a new conversation.
	EventConversationOpened EventType = "conversation.opened"
	// EventMessageQueued: an outbound message entered the outbox.
	EventMessageQueued EventType = "message.queued"
	// EventDuplicateIgnored: Twilio delivered a MessageSid already recorded.
	EventDuplicateIgnored EventType = "message.duplicate"
	// EventWebhookRejected: a webhook was refused (bad signature, foreign
	// account...); Reason says why, in at most 256 bytes, with values from
	// the request cut and sanitised. ChannelID is set only for a channel
	// the desk knows, never to an ID taken from an unknown path, so it is
	// safe as a metric label.
	EventWebhookRejected EventType = "webhook.rejected"
	// EventProcessingFailed: a recorded message could not be processed yet;
	// Run's sweep will retry it.
	EventProcessingFailed EventType = "message.processing_failed"
	// EventMessageSent: Twilio accepted an outbound message (Status says
	// how far it got).
	EventMessageSent EventType = "message.sent"
	// EventMessageRetrying: a send failed with a retryable error; Reason
	// says why. It will be tried again.
	EventMessageRetrying EventType = "message.retrying"
	// EventMessageFailed: an outbound message will not be delivered: a
	// permanent error, the retries ran out, or the 24-hour window was closed
	// without a template. Reason and ErrorCode say why.
	EventMessageFailed EventType = "message.failed"
	// EventDeliveryStatus: a status callback moved an outbound message
	// forward (Status: delivered, read, undelivered...).
	EventDeliveryStatus EventType = "message.status"

	// EventAssigned: a conversation got an owner: AgentID (a human) or
	// AIAgentID. Reason says why: `rule "VIP"`, "human pool", "queue",
	// "manual", "sticky"...
	EventAssigned EventType = "conversation.assigned"
	// EventQueued: no agent was available; the conversation waits for
	// Target (the zero Target: the channel's pool; Reason says it in
	// words).
	EventQueued EventType = "conversation.queued"
	// EventTeamEmpty: a conversation was queued for a team none of the
	// channel's agents is in: nobody will take it until one is added.
	EventTeamEmpty EventType = "conversation.team_empty"
	// EventUnassigned: a human agent was removed from a conversation (by
	// hand, or because they went offline); it waits for another.
	EventUnassigned EventType = "conversation.unassigned"
	// EventHandedOff: an AI agent gave the conversation to humans (Reason:
	// its reason, or the error or timeout that forced it).
	EventHandedOff EventType = "conversation.handed_off"
	// EventAIReplied: an AI agent's reply was queued; Usage says what the
	// turn cost.
	EventAIReplied EventType = "ai.replied"
	// EventAIToolCalled: an AI agent called a host function during its turn
	// (ToolCall has the call and its result). It is not a message: the
	// customer never sees it.
	EventAIToolCalled EventType = "ai.tool_called"
	// EventResolved: a conversation was resolved.
	EventResolved EventType = "conversation.resolved"
	// EventReopened: a resolved conversation was reopened.
	EventReopened EventType = "conversation.reopened"
	// EventSurveySent: a CSAT survey was queued (SurveyID).
	EventSurveySent EventType = "csat.survey_queued"
	// EventSurveyNotSent: a CSAT survey could not be sent (Reason).
	EventSurveyNotSent EventType = "csat.survey_not_sent"
	// EventSurveyAnswered: a customer rated a conversation (Rating).
	EventSurveyAnswered EventType = "csat.rated"
	// EventSurveyCommented: a customer left a comment after rating.
	EventSurveyCommented EventType = "csat.commented"
	// EventContactUpdated: the host changed a contact's name or attributes
	// (UpdateContact).
	EventContactUpdated EventType = "contact.updated"
	// EventNoteAdded: an agent (AgentID) added an internal note
	// (MessageID) to a conversation; it is never sent.
	EventNoteAdded EventType = "note.added"
	// EventLabeled and EventUnlabeled: a Label was put on or taken off a
	// conversation.
	EventLabeled   EventType = "conversation.labeled"
	EventUnlabeled EventType = "conversation.unlabeled"
)

// Event is something the desk did. Only the fields that apply to its Type
// are set. Events never carry credentials. Its JSON form is what the event
// stream (EventStream) and outgoing webhooks send.
type Event struct {
	// Position is the event's place in the durable feed, set on events read
	// from it (Events, Subscribe, EventStream, webhooks); zero in OnEvent.
	Position       Position  `json:"position,omitempty"`
	Type           EventType `json:"type"`
	At             time.Time `json:"at"`
	ChannelID      string    `json:"channel_id,omitempty"`
	ConversationID string    `json:"conversation_id,omitempty"`
	ContactID      string    `json:"contact_id,omitempty"`
	MessageID      string    `json:"message_id,omitempty"`
	// Kind is the message kind for message events (greeting, reply...).
	Kind string `json:"kind,omitempty"`
	// MessageType is Twilio's MessageType of a received message (text,
	// image, audio, button...), for message.received.
	MessageType string `json:"message_type,omitempty"`
	// Reason explains rejections and failures.
	Reason string `json:"reason,omitempty"`
	// Status is the delivery status, for message.status.
	Status string `json:"status,omitempty"`
	// ErrorCode is Twilio's error code, for failures and statuses.
	ErrorCode int `json:"error_code,omitempty"`
	// AgentID and AIAgentID are the owner, for assignment events; for
	// message events read from the feed, the conversation's owner when the
	// message was stored.
	AgentID   string `json:"agent_id,omitempty"`
	AIAgentID string `json:"ai_agent_id,omitempty"`
	// Target is who a queued conversation waits for.
	Target routing.Target `json:"target,omitzero"`
	// SurveyID and Rating are set for CSAT events.
	SurveyID string `json:"survey_id,omitempty"`
	Rating   int    `json:"rating,omitempty"`
	// Usage is the AI turn's token count, for ai.replied and hand-offs.
	Usage AIUsage `json:"usage,omitzero"`
	// Label is the label, for conversation.labeled and .unlabeled.
	Label string `json:"label,omitempty"`
	// ToolCall is the call, for ai.tool_called.
	ToolCall *AIToolCall `json:"tool_call,omitempty"`
}

// emit calls Options.OnEvent and Telemetry.Event, if set, synchronously,
// then writes the event to the durable feed (feed.go). OnEvent goes first
// so that it keeps the timing it had before the feed existed.
func (d *Desk) emit(ctx context.Context, e Event) {
	if e.At.IsZero() {
		e.At = d.clock.Now()
	}
	if d.onEvent != nil {
		d.onEvent(ctx, e)
	}
	if d.tel != nil {
		d.tel.Event(ctx, e)
	}
	d.persist(ctx, e)
}
