package store

import (
	"context"
	"time"

	"github.com/livedesk/livedesk/routing"
)

// AITurnClaim is a pending AI turn leased for running.
type AITurnClaim struct {
	Conversation Conversation
	// MessageID is the inbound message the turn answers.
	MessageID string
	// Lease is the token CompleteAITurn requires.
	Lease string
}

// AITurnResult is the outcome of an AI turn.
type AITurnResult struct {
	// Reply, when set, is queued (as Enqueue does; its Key makes it
	// idempotent).
	Reply *Message
	// HandOff, when set, hands the conversation to humans as ChangeOwner
	// from the AI agent to nobody does, queued for QueueTarget (which
	// CheckQueueTarget must accept).
	HandOff     bool
	QueueTarget routing.Target
	At          time.Time
}

// AITurns schedules the AI agent's turns in AI-owned conversations. Turns
// run in the desk's Run, never in a webhook request.
type AITurns interface {
	// RequestAITurn records that the AI agent owning a conversation should
	// answer inbound message messageID: it sets AITurnMessageID (a newer
	// message replaces an older pending one; an older one does not replace a
	// newer). No-op when no AI agent owns the conversation or it is not
	// open. ErrNotFound.
	RequestAITurn(ctx context.Context, conversationID, messageID string, at time.Time) error
	// ClaimAITurns leases up to limit open, AI-owned conversations with a
	// pending AI turn whose lease is free or expired and whose message is
	// processed (FinishInbound marked it: the greeting and other automatic
	// messages decided with it are in the outbox before the AI answers), oldest request first
	// (when the pending turn was first asked for); a turn is held by at most
	// one unexpired lease.
	ClaimAITurns(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]AITurnClaim, error)
	// CompleteAITurn records a turn's result atomically if the lease still
	// holds (else ErrLeaseLost): it queues the reply, hands off if asked,
	// and clears AITurnMessageID unless a newer message is pending by then.
	CompleteAITurn(ctx context.Context, conversationID, lease, messageID string, r AITurnResult) (Conversation, error)
}
