package store

import (
	"context"
	"errors"
	"time"

	"github.com/livedesk/livedesk/channel"
)

// Store is everything the desk keeps. Implementations must be safe for
// concurrent use by many goroutines and, for shared stores, by several
// processes: every rule below holds across them.
type Store interface {
	Channels
	Inbox
	Conversations
	Outbox
	Agents
	Members
	Contacts
	Assignments
	AITurns
	Resolutions
	Surveys
	Queries
	Labels
	Notes
	Feed
}

// Channels keeps channel configurations.
type Channels interface {
	// CreateChannel stores a new channel at Version 1 (whatever ch.Version
	// says). It returns ErrExists if the ID is taken. The channel is stored
	// as given otherwise (the desk validates it first);
	// ch.Settings.Assignment's Agents and AIAgents become the channel's
	// first members (see Members).
	CreateChannel(ctx context.Context, ch channel.Channel) error
	// UpdateChannel replaces a channel's name, credentials, settings and
	// UpdatedAt if ch.Version is the stored version, and increments the
	// version; CreatedAt is kept as stored. It returns the channel as
	// stored. A stale (or zero) Version returns
	// ErrConflict and changes nothing. Membership is not part of the
	// update: ch.Settings.Assignment's Agents and AIAgents are ignored and
	// the stored members are kept (Members changes them). ErrNotFound if
	// there is no channel with that ID.
	UpdateChannel(ctx context.Context, ch channel.Channel) (channel.Channel, error)
	// Channel returns a channel with its members in
	// Settings.Assignment.Agents and AIAgents (in the order they were
	// added), or ErrNotFound. Those two slices are the caller's own.
	Channel(ctx context.Context, id string) (channel.Channel, error)
	// ListChannels returns every channel, oldest first.
	ListChannels(ctx context.Context) ([]channel.Channel, error)
	// DeleteChannel removes a channel and its members, or returns
	// ErrNotFound. Its contacts, conversations and messages are kept.
	DeleteChannel(ctx context.Context, id string) error
}

// InboundRecord is an inbound message to record.
type InboundRecord struct {
	ChannelID  string
	Message    channel.Inbound
	ReceivedAt time.Time
	// Answer is what the desk understood of the message as a survey answer
	// (zero: not a rating).
	Answer SurveyAnswer
}

// InboundResult is what RecordInbound did.
type InboundResult struct {
	// Duplicate is true when (channel, MessageSid) was already recorded:
	// nothing changed, and Message, Contact and Conversation are the records
	// as they are now.
	Duplicate       bool
	Message         Message
	Contact         Contact
	Conversation    Conversation
	NewContact      bool
	NewConversation bool
	// Survey is the survey the message answered or closed (see
	// SurveyOutcome), nil when none was involved.
	Survey        *Survey
	SurveyOutcome SurveyOutcome
}

// Inbox records inbound messages.
type Inbox interface {
	// RecordInbound records an inbound message in one atomic step:
	//   - dedupe: if (ChannelID, Message.MessageSID) is already recorded,
	//     it changes nothing and returns Duplicate with the existing records;
	//   - upsert the contact, keyed by (ChannelID, phone): set WaID and
	//     ProfileName when the message carries them, set LastInboundAt to
	//     ReceivedAt if later;
	//   - find the contact's open conversation on the channel or open a new
	//     one (Status open, Sender = the number the message was sent to);
	//     set its LastInboundAt and UpdatedAt;
	//   - append the message (Direction Inbound, Kind customer, Processed
	//     false, CreatedAt = ReceivedAt).
	// Surveys: if the contact has an open survey on the channel (not Closed,
	// ExpiresAt after ReceivedAt; the one named by Answer.SurveyID when that
	// one is open and the contact's, else the latest by SentAt):
	//   - no rating yet and Answer.Rating is 1-5: the rating is recorded
	//     (Rating, RatingMethod, RatedAt); the survey closes unless
	//     WantsComment. Outcome SurveyRated;
	//   - rated, WantsComment and no comment yet: the message text is the
	//     comment (CommentAt); the survey closes. Outcome SurveyCommented;
	//   - no rating yet and the message is not a rating: the survey closes
	//     (only the next message is tried). Outcome SurveyIgnored.
	// For SurveyRated and SurveyCommented the message records the survey's
	// ID (Message.SurveyID) and joins the survey's conversation (open or resolved, unchanged) instead of the contact's
	// open conversation, and no conversation is opened; the conversation's
	// LastInboundAt still moves. For SurveyIgnored it goes on as usual.
	// Either all of it happens or none of it. Concurrent calls for the same
	// MessageSid record it once; concurrent calls for the same contact open
	// one conversation. A record that fails rec.Check (NUL bytes, invalid
	// UTF-8, an over-long identifier or address, a location off Earth) gets
	// an error wrapping ErrInvalid and nothing is written.
	RecordInbound(ctx context.Context, rec InboundRecord) (InboundResult, error)
	// FinishInbound queues the outbound messages the desk decided on for an
	// inbound message and marks that message processed, atomically. A
	// message whose Key is already queued is skipped, so calling it again
	// (a retried webhook, a sweep) queues nothing twice. The store fills
	// the ID, Direction (Outbound), Status (DeliveryPending), CreatedAt and
	// UpdatedAt (= at) of each queued message, and NextAttemptAt when zero.
	// It returns the messages actually queued. ErrNotFound if there is no
	// such inbound message.
	FinishInbound(ctx context.Context, messageID string, queue []Message, at time.Time) ([]Message, error)
	// UnprocessedInbound returns up to limit inbound messages not yet
	// processed and received before the given time, oldest first.
	UnprocessedInbound(ctx context.Context, before time.Time, limit int) ([]Message, error)
}

// ConversationFilter selects conversations. Zero fields match everything.
type ConversationFilter struct {
	ChannelID  string
	ContactID  string
	Status     ConversationStatus
	AssigneeID string
	// Limit caps the result; 0 means no limit.
	Limit int
}

// Conversations reads conversations and messages.
type Conversations interface {
	// Conversation returns a conversation, or ErrNotFound.
	Conversation(ctx context.Context, id string) (Conversation, error)
	// ListConversations returns the matching conversations, oldest first.
	ListConversations(ctx context.Context, f ConversationFilter) ([]Conversation, error)
	// Messages returns a conversation's messages, inbound and outbound,
	// oldest first (by CreatedAt, then insertion order). ErrNotFound if the
	// conversation does not exist.
	Messages(ctx context.Context, conversationID string) ([]Message, error)
}

// Outbox queues outbound messages and tracks their delivery.
type Outbox interface {
	// Enqueue queues one outbound message for its conversation. If a message
	// with the same Key exists, it changes nothing and returns that message
	// with created false. The store fills the same fields as FinishInbound.
	// Queuing a KindReply or KindAI message sets the conversation's
	// LastAgentReplyAt to at. ErrNotFound if the conversation does not
	// exist.
	Enqueue(ctx context.Context, msg Message, at time.Time) (queued Message, created bool, err error)
	// ClaimOutbound leases up to limit outbound messages that are due: Status
	// DeliveryPending with no SID and NextAttemptAt <= now, or Status
	// DeliverySending whose lease has expired (its sender died), oldest
	// NextAttemptAt first. A conversation's messages go out one at a time in
	// the order they were queued: a message is due only when every message
	// queued before it in its conversation has left the outbox (sent, or
	// failed for good); a message waiting for a retry holds the ones behind
	// it. Each claimed message gets Status DeliverySending
	// and a new lease token valid until now+lease. A message is held by at
	// most one unexpired lease at a time, across goroutines and processes.
	ClaimOutbound(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]Claim, error)
	// CompleteOutbound records the outcome of a send attempt for a claimed
	// message, if the lease token still holds it (else ErrLeaseLost: the
	// lease expired and another worker may have it). Attempts is
	// incremented. OutcomeSent sets SID and moves Status forward to the
	// provider's status (never back: a status callback may have arrived
	// first); OutcomeRetry puts it back to DeliveryPending due at
	// NextAttemptAt with the error; OutcomeFailed sets DeliveryFailed with
	// the error. ErrNotFound if there is no such message.
	CompleteOutbound(ctx context.Context, id, lease string, r SendResult) (Message, error)
	// ApplyStatus applies a delivery status callback to the outbound message
	// with MessageID (when set) or else with (ChannelID, SID). It records
	// the SID if the message has none yet (the callback beat the send
	// result), and moves Status forward by rank only: accepted = scheduled <
	// queued < twilio_sending < sent < delivered < read; failed and
	// undelivered are terminal and apply over anything below delivered,
	// always recording ErrorCode; canceled applies over queued or below.
	// With CloseWindow it also sets the contact's WindowClosedAt. It returns
	// the message as it is after the call and whether its status changed.
	// ErrNotFound if there is no such message; an error wrapping ErrInvalid,
	// with nothing changed, when u fails u.Check.
	ApplyStatus(ctx context.Context, u StatusUpdate) (Message, bool, error)
}

// ErrLeaseLost is returned by CompleteOutbound when the caller's lease on a
// message has expired and been taken over.
var ErrLeaseLost = errors.New("store: outbound lease lost")

// Claim is an outbound message leased for sending, with what sending needs.
type Claim struct {
	Message Message
	// Lease is the token CompleteOutbound requires.
	Lease string
	// Contact is the recipient (Phone, and the 24-hour window).
	Contact Contact
	// Sender is the conversation's Sender: the channel number the customer
	// wrote to.
	Sender string
}

// Outcome is what happened to a send attempt.
type Outcome string

// Send outcomes.
const (
	OutcomeSent   Outcome = "sent"
	OutcomeRetry  Outcome = "retry"
	OutcomeFailed Outcome = "failed"
)

// SendResult is the outcome of one send attempt.
type SendResult struct {
	Outcome Outcome
	// SID and Status are the provider's answer (OutcomeSent).
	SID    string
	Status DeliveryStatus
	// NextAttemptAt is when to retry (OutcomeRetry).
	NextAttemptAt time.Time
	ErrorCode     int
	Error         string
	At            time.Time
}

// StatusUpdate is a delivery status callback.
type StatusUpdate struct {
	ChannelID string
	// MessageID is the outbound message's ID, when the callback URL carried
	// it; otherwise the message is found by (ChannelID, SID).
	MessageID    string
	SID          string
	Status       DeliveryStatus
	ErrorCode    int
	ErrorMessage string
	// CloseWindow marks the contact's 24-hour window closed (Twilio error
	// 63016 says the message was outside it).
	CloseWindow bool
	At          time.Time
}

// StatusRank orders delivery statuses for ApplyStatus: higher is further
// along. Terminal failures and the desk's own statuses have rank 0.
func StatusRank(s DeliveryStatus) int {
	switch s {
	case DeliveryAccepted, DeliveryScheduled:
		return 1
	case DeliveryQueued:
		return 2
	case DeliveryTwilioSend:
		return 3
	case DeliverySent:
		return 4
	case DeliveryDelivered:
		return 5
	case DeliveryRead:
		return 6
	}
	return 0
}

// NextStatus returns the status a message in status cur moves to when
// status next is reported, following ApplyStatus's rules, and whether it
// changes.
func NextStatus(cur, next DeliveryStatus) (DeliveryStatus, bool) {
	rc, rn := StatusRank(cur), StatusRank(next)
	terminal := cur == DeliveryFailed || cur == DeliveryUndelivered || cur == DeliveryCanceled
	switch next {
	case DeliveryFailed, DeliveryUndelivered:
		if terminal || rc >= StatusRank(DeliveryDelivered) {
			return cur, false
		}
		return next, true
	case DeliveryCanceled:
		if terminal || rc > StatusRank(DeliveryQueued) {
			return cur, false
		}
		return next, true
	}
	if rn == 0 || terminal || rn <= rc {
		return cur, false
	}
	return next, true
}
