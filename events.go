package livedesk

import (
	"context"
	"time"
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
	// account...); Reason says why.
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
)

// Event is something the desk did. Only the fields that apply to its Type
// are set. Events never carry credentials.
type Event struct {
	Type           EventType
	At             time.Time
	ChannelID      string
	ConversationID string
	ContactID      string
	MessageID      string
	// Kind is the message kind for message events (greeting, reply...).
	Kind string
	// Reason explains rejections and failures.
	Reason string
	// Status is the delivery status, for message.status.
	Status string
	// ErrorCode is Twilio's error code, for failures and statuses.
	ErrorCode int
}

// emit calls Options.OnEvent, if any, synchronously.
func (d *Desk) emit(ctx context.Context, e Event) {
	if d.onEvent == nil {
		return
	}
	if e.At.IsZero() {
		e.At = d.clock.Now()
	}
	d.onEvent(ctx, e)
}
