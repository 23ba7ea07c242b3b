package store

import (
	"time"

	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/routing"
)

// Contact is a customer on one channel, identified by their phone number.
type Contact struct {
	ID          string `json:"id"`
	ChannelID   string `json:"channel_id"`
	Phone       string `json:"phone"` // E.164
	WaID        string `json:"wa_id,omitempty"`
	ProfileName string `json:"profile_name,omitempty"`
	// Name is the name the host application knows the customer by (set
	// with UpdateContact); agents see it before ProfileName.
	Name string `json:"name,omitempty"`
	// Attributes are free key/values set by the host application
	// (UpdateContact); routing's attribute conditions read them.
	Attributes map[string]string `json:"attributes,omitempty"`
	CreatedAt  time.Time         `json:"created_at"`
	// UpdatedAt is when the host last changed Name or Attributes.
	UpdatedAt time.Time `json:"updated_at,omitzero"`
	// LastInboundAt is when the customer last wrote: WhatsApp's 24-hour
	// window for free-form messages is counted from it.
	LastInboundAt time.Time `json:"last_inbound_at"`
	// WindowClosedAt is when Twilio reported the window closed (error
	// 63016) although LastInboundAt said it was open; the window counts as
	// closed until the customer writes again.
	WindowClosedAt time.Time `json:"window_closed_at,omitzero"`
	// LastAgentID is the human agent the contact's latest conversation was
	// assigned to (for sticky assignment).
	LastAgentID string `json:"last_agent_id,omitempty"`
}

// WindowOpen reports whether WhatsApp's 24-hour customer-service window is
// open at now, keeping a safety margin before its end: free-form messages
// may only be sent then.
func (c Contact) WindowOpen(now time.Time, margin time.Duration) bool {
	if c.LastInboundAt.IsZero() || !c.WindowClosedAt.Before(c.LastInboundAt) && !c.WindowClosedAt.IsZero() {
		return false
	}
	return now.Before(c.LastInboundAt.Add(24*time.Hour - margin))
}

// ConversationStatus is the life-cycle state of a conversation.
type ConversationStatus string

// Conversation statuses.
const (
	StatusOpen     ConversationStatus = "open"
	StatusResolved ConversationStatus = "resolved"
)

// Conversation is a thread between a contact and the team on one channel. A
// contact has at most one open conversation per channel.
type Conversation struct {
	ID        string             `json:"id"`
	ChannelID string             `json:"channel_id"`
	ContactID string             `json:"contact_id"`
	Status    ConversationStatus `json:"status"`
	// Sender is the channel number the customer wrote to (E.164); replies go
	// out from it.
	Sender string `json:"sender,omitempty"`
	// AssigneeID is the human agent who owns the conversation, if any.
	AssigneeID string `json:"assignee_id,omitempty"`
	// AIAgentID is the AI agent who owns the conversation, if any.
	AIAgentID string `json:"ai_agent_id,omitempty"`
	// AIHandedOff is set once an AI agent handed the conversation to humans:
	// no AI agent is asked again.
	AIHandedOff bool `json:"ai_handed_off,omitempty"`
	// QueuedAt is when the conversation started waiting for an agent (zero
	// when it is not waiting); QueueTarget says for whom: the zero Target
	// (the channel's pool), a team or one agent.
	QueuedAt    time.Time      `json:"queued_at,omitzero"`
	QueueTarget routing.Target `json:"queue_target,omitzero"`
	// AITurnMessageID is the inbound message an AI turn is pending for (the
	// latest one, when several arrived), empty when none is pending.
	AITurnMessageID string `json:"ai_turn_message_id,omitempty"`
	// Resolutions counts how many times the conversation was resolved.
	Resolutions      int       `json:"resolutions,omitempty"`
	CreatedAt        time.Time `json:"created_at"`
	UpdatedAt        time.Time `json:"updated_at"`
	ResolvedAt       time.Time `json:"resolved_at,omitzero"`
	LastInboundAt    time.Time `json:"last_inbound_at,omitzero"`
	LastAgentReplyAt time.Time `json:"last_agent_reply_at,omitzero"`
}

// Owner returns who owns the conversation. For a resolved conversation
// the IDs are history (who had it when it was resolved), not ownership.
func (c Conversation) Owner() Owner {
	return Owner{AgentID: c.AssigneeID, AIAgentID: c.AIAgentID}
}

// Direction says who wrote a message.
type Direction string

// Message directions.
const (
	Inbound  Direction = "in"  // from the customer
	Outbound Direction = "out" // to the customer
)

// Kind says why an outbound message exists.
type Kind string

// Kinds of messages.
const (
	KindCustomer    Kind = "customer"      // inbound
	KindGreeting    Kind = "greeting"      // automatic, new conversation
	KindOutOfOffice Kind = "out_of_office" // automatic, outside business hours
	KindReply       Kind = "reply"         // written by a human agent
	KindAI          Kind = "ai"            // written by an AI agent
	KindSurvey      Kind = "csat_survey"   // CSAT question
	KindSurveyReply Kind = "csat_reply"    // thank-you or comment request
)

// DeliveryStatus is where an outbound message is on its way to the customer.
type DeliveryStatus string

// Delivery statuses. Pending and Sending are the desk's own; the others are
// Twilio's, reached through the send response and status callbacks.
const (
	DeliveryPending     DeliveryStatus = "pending" // in the outbox, not sent yet
	DeliverySending     DeliveryStatus = "sending" // claimed by a worker
	DeliveryAccepted    DeliveryStatus = "accepted"
	DeliveryScheduled   DeliveryStatus = "scheduled"
	DeliveryQueued      DeliveryStatus = "queued"
	DeliveryTwilioSend  DeliveryStatus = "twilio_sending" // Twilio's "sending"
	DeliverySent        DeliveryStatus = "sent"
	DeliveryDelivered   DeliveryStatus = "delivered"
	DeliveryRead        DeliveryStatus = "read"
	DeliveryUndelivered DeliveryStatus = "undelivered"
	DeliveryFailed      DeliveryStatus = "failed"
	DeliveryCanceled    DeliveryStatus = "canceled"
)

// Message is one entry of a conversation: a customer's inbound message, or
// an outbound message with its delivery state (the outbox is the set of
// outbound messages not yet handed to Twilio).
type Message struct {
	ID             string    `json:"id"`
	ChannelID      string    `json:"channel_id"`
	ConversationID string    `json:"conversation_id"`
	ContactID      string    `json:"contact_id"`
	Direction      Direction `json:"direction"`
	Kind           Kind      `json:"kind"`
	// SID is Twilio's message SID: the inbound MessageSid, or the SID
	// Twilio returned for an outbound message once sent.
	SID  string `json:"sid,omitempty"`
	Text string `json:"text,omitempty"`
	// Inbound is the parsed webhook of an inbound message (read-only).
	Inbound *channel.Inbound `json:"inbound,omitempty"`
	// Processed is set once the desk has acted on an inbound message
	// (greeting, out-of-office, routing...).
	Processed bool `json:"processed,omitempty"`
	// SurveyID is set on an inbound message that answered a survey (its
	// rating or its comment; see RecordInbound).
	SurveyID string `json:"survey_id,omitempty"`
	// NewContact, Opened and SurveyOutcome are, for an inbound message,
	// what RecordInbound found when it recorded it: the message created its
	// contact, opened its conversation, and what it did to a survey. They
	// let a message processed later (a retried delivery, the sweep) be
	// decided exactly as it would have been at once.
	NewContact    bool          `json:"new_contact,omitempty"`
	Opened        bool          `json:"opened,omitempty"`
	SurveyOutcome SurveyOutcome `json:"survey_outcome,omitempty"`
	CreatedAt     time.Time     `json:"created_at"`

	// Outbound only.

	// Key is the idempotency key: at most one message per key ever exists.
	Key       string   `json:"key,omitempty"`
	AuthorID  string   `json:"author_id,omitempty"` // agent or AI agent
	MediaURLs []string `json:"media_urls,omitempty"`
	// ContentSID and ContentVariables send a Content template instead of Text.
	ContentSID       string            `json:"content_sid,omitempty"`
	ContentVariables map[string]string `json:"content_variables,omitempty"`
	// TemplateSID is used instead of free-form Text when WhatsApp's 24-hour
	// window is closed at send time.
	TemplateSID string         `json:"template_sid,omitempty"`
	Status      DeliveryStatus `json:"status,omitempty"`
	Attempts    int            `json:"attempts,omitempty"`
	// NextAttemptAt is when the outbox may (re)try the message.
	NextAttemptAt time.Time `json:"next_attempt_at,omitzero"`
	ErrorCode     int       `json:"error_code,omitempty"`
	Error         string    `json:"error,omitempty"`
	UpdatedAt     time.Time `json:"updated_at,omitzero"`
}
