package store

import (
	"context"
	"errors"
	"fmt"
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
	//   - an owned conversation has QueuedAt cleared and keeps its
	//     QueueTarget (whom it is for, should it wait again); an unowned
	//     one is queued: QueuedAt = At unless it is already queued (it
	//     keeps its place), QueueTarget = c.Queue;
	//   - UpdatedAt moves to At.
	// A request with both fields of From or of To set, or a Queue target
	// that CheckQueueTarget refuses, is refused with an error that wraps
	// no sentinel.
	ChangeOwner(ctx context.Context, c OwnerChange) (Conversation, error)
	// QueuedConversations returns up to limit open, unowned, queued
	// conversations, oldest QueuedAt first, ties by conversation creation; a
	// limit <= 0 means no limit.
	QueuedConversations(ctx context.Context, limit int) ([]Conversation, error)
	// Cursor returns the round-robin cursor stored under key ("" if none).
	Cursor(ctx context.Context, key string) (string, error)
}

// CheckOwnerChange returns an error for an OwnerChange that no store can
// apply (an Owner with both fields set, no conversation). Stores call it
// before anything else.
func CheckOwnerChange(c *OwnerChange) error {
	switch {
	case c.ConversationID == "":
		return errors.New("store: an owner change needs a ConversationID")
	case c.From.AgentID != "" && c.From.AIAgentID != "":
		return fmt.Errorf("store: owner change From names both %s and an AI agent", c.From)
	case c.To.AgentID != "" && c.To.AIAgentID != "":
		return fmt.Errorf("store: owner change To names both %s and an AI agent", c.To)
	}
	return CheckQueueTarget(c.Queue)
}

// CheckQueueTarget returns an error for a queue target no store keeps: one
// naming an AI agent (AI agents take conversations, they do not wait for
// them) or naming both an agent and a team.
func CheckQueueTarget(t routing.Target) error {
	switch {
	case t.AIAgent != "":
		return fmt.Errorf("store: a queue target cannot be an AI agent (%s)", t)
	case t.Agent != "" && t.Team != "":
		return fmt.Errorf("store: a queue target is an agent or a team, not both (agent %q, team %q)", t.Agent, t.Team)
	}
	return nil
}

// CheckOwnerSwap applies ChangeOwner's rules to a conversation as it is now
// (locked by the caller) and the agent To.AgentID as it is now (zero when
// To has no agent), and returns the error ChangeOwner must return, or nil
// when the change may go ahead. Stores call it so that the rules, and
// their order, are written once.
func CheckOwnerSwap(conv *Conversation, c *OwnerChange, to *Agent) error {
	switch {
	case conv.Status != StatusOpen:
		return fmt.Errorf("conversation %q is %s: %w", conv.ID, conv.Status, ErrNotOpen)
	case conv.Owner() != c.From:
		return fmt.Errorf("conversation %q is owned by %s, not %s: %w", conv.ID, conv.Owner(), c.From, ErrAssigned)
	case c.To.AIAgentID != "" && c.To != c.From && conv.AIHandedOff:
		return fmt.Errorf("conversation %q was handed off by an AI agent: %w", conv.ID, ErrAssigned)
	case c.To.AgentID == "" || c.To.AgentID == c.From.AgentID:
		return nil
	case !c.Force && to.Status != AgentOnline:
		return fmt.Errorf("agent %q is %s: %w", to.ID, to.Status, ErrAgentUnavailable)
	case to.Full():
		return fmt.Errorf("agent %q has %d of %d: %w", to.ID, to.Open, to.Capacity, ErrAgentFull)
	}
	return nil
}
