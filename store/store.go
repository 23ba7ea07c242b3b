package store

import (
	"context"
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
}

// Channels keeps channel configurations.
type Channels interface {
	// CreateChannel stores a new channel. It returns ErrExists if the ID is
	// taken. The channel is stored as given (the desk validates it first).
	CreateChannel(ctx context.Context, ch channel.Channel) error
	// UpdateChannel replaces a channel. It returns ErrNotFound if there is no
	// channel with that ID.
	UpdateChannel(ctx context.Context, ch channel.Channel) error
	// Channel returns a channel, or ErrNotFound.
	Channel(ctx context.Context, id string) (channel.Channel, error)
	// ListChannels returns every channel, oldest first.
	ListChannels(ctx context.Context) ([]channel.Channel, error)
	// DeleteChannel removes a channel, or returns ErrNotFound. Its contacts,
	// conversations and messages are kept.
	DeleteChannel(ctx context.Context, id string) error
}

// InboundRecord is an inbound message to record.
type InboundRecord struct {
	ChannelID  string
	Message    channel.Inbound
	ReceivedAt time.Time
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
	// Either all of it happens or none of it. Concurrent calls for the same
	// MessageSid record it once; concurrent calls for the same contact open
	// one conversation.
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

// Conversations reads conversations, contacts and messages.
type Conversations interface {
	// Conversation returns a conversation, or ErrNotFound.
	Conversation(ctx context.Context, id string) (Conversation, error)
	// ListConversations returns the matching conversations, oldest first.
	ListConversations(ctx context.Context, f ConversationFilter) ([]Conversation, error)
	// Messages returns a conversation's messages, inbound and outbound,
	// oldest first (by CreatedAt, then insertion order). ErrNotFound if the
	// conversation does not exist.
	Messages(ctx context.Context, conversationID string) ([]Message, error)
	// Contact returns a contact, or ErrNotFound.
	Contact(ctx context.Context, id string) (Contact, error)
}

// Outbox queues outbound messages.
type Outbox interface {
	// Enqueue queues one outbound message for its conversation. If a message
	// with the same Key exists, it changes nothing and returns that message
	// with created false. The store fills the same fields as FinishInbound.
	// ErrNotFound if the conversation does not exist.
	Enqueue(ctx context.Context, msg Message, at time.Time) (queued Message, created bool, err error)
	// OutboundByKey returns the outbound message with that idempotency key,
	// or ErrNotFound.
	OutboundByKey(ctx context.Context, key string) (Message, error)
}
