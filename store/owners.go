package store

import (
	"context"
	"time"

	"github.com/livedesk/livedesk/routing"
)

// Owner is who owns a conversation: a human agent, an AI agent, or nobody
// (the zero Owner). At most one field is set.
type Owner struct {
	AgentID   string `json:"agent_id,omitempty"`
	AIAgentID string `json:"ai_agent_id,omitempty"`
}

// IsZero reports whether o is nobody.
func (o Owner) IsZero() bool { return o == Owner{} }

// String returns `agent "id"`, `AI agent "id"` or "nobody".
func (o Owner) String() string {
	switch {
	case o.AgentID != "":
		return `agent "` + o.AgentID + `"`
	case o.AIAgentID != "":
		return `AI agent "` + o.AIAgentID + `"`
	}
	return "nobody"
}

// OwnerChange is a compare-and-swap on a conversation's owner: the
// conversation goes from From to To only if From is still its owner.
// Every ownership change goes through it: an agent claiming a
// conversation, an AI agent taking one, a hand-off, unassigning, queueing,
// requeueing an offline agent's conversations, and a forced assignment.
type OwnerChange struct {
	ConversationID string
	// From is the owner the caller saw.
	From Owner
	// To is the new owner; the zero Owner leaves the conversation unowned,
	// waiting in the queue for Queue.
	To Owner
	// Queue is who an unowned conversation waits for (To zero): the zero
	// Target is the channel's pool; otherwise a team or one agent.
	Queue routing.Target
	// Force skips the check that To.AgentID is online (a supervisor
	// assigning by hand); the capacity still holds.
	Force bool
	// CursorKey, when set with To.AgentID, records the agent as the
	// round-robin cursor under this key in the same step (see Cursor).
	CursorKey string
	At        time.Time
}

// Assignments gives conversations owners. A conversation never has two
// owners and an agent never exceeds its capacity, across goroutines and
// processes.
type Assignments interface {
	// ChangeOwner applies c in one atomic step, or changes nothing and
	// returns an error:
	//   - ErrNotFound: no such conversation, or no such agent To.AgentID;
	//   - ErrNotOpen: the conversation is not open;
	//   - ErrAssigned: its owner is not c.From, or To is an AI agent and an
	//     AI agent already handed the conversation off (AIHandedOff);
	//   - ErrAgentUnavailable: To.AgentID is not online (unless Force);
	//   - ErrAgentFull: To.AgentID is at capacity.
	// The checks run in that order. When From equals To the call changes
	// nothing and returns the conversation (for the zero Owner it queues,
	// as below). Otherwise:
	//   - From.AgentID's Open is decremented;
	//   - losing an AI owner to a human or to nobody sets AIHandedOff and
	//     cancels the pending AI turn (CompleteAITurn for it then returns
	//     ErrLeaseLost);
	//   - To.AgentID's Open is incremented and its LastAssignedAt set; the
	//     contact's LastAgentID is set; the cursor is recorded;
	//   - an owned conversation has QueuedAt cleared and QueueTarget zero;
	//     an unowned one is queued: QueuedAt = At unless it is already
	//     queued (it keeps its place), QueueTarget = c.Queue;
	//   - UpdatedAt moves to At.
	// A request with both fields of From or of To set is refused with an
	// error that wraps no sentinel.
	ChangeOwner(ctx context.Context, c OwnerChange) (Conversation, error)
	// QueuedConversations returns up to limit open, unowned, queued
	// conversations, oldest QueuedAt first, ties by conversation creation; a
	// limit <= 0 means no limit.
	QueuedConversations(ctx context.Context, limit int) ([]Conversation, error)
	// Cursor returns the round-robin cursor stored under key ("" if none).
	Cursor(ctx context.Context, key string) (string, error)
}
