package store

import (
	"context"
	"errors"
	"time"
)

// AgentStatus is a human agent's availability. Only online agents are
// assigned new conversations.
type AgentStatus string

// Agent statuses.
const (
	AgentOnline  AgentStatus = "online"
	AgentAway    AgentStatus = "away"
	AgentOffline AgentStatus = "offline"
)

// Agent is a human agent.
type Agent struct {
	ID     string      `json:"id"`
	Name   string      `json:"name"`
	Status AgentStatus `json:"status"`
	// Capacity is the most open conversations the agent handles at once;
	// 0 means unlimited.
	Capacity int `json:"capacity"`
	// Teams the agent belongs to (routing rules may target a team).
	Teams []string `json:"teams,omitempty"`
	// Open is how many open conversations are assigned to the agent,
	// maintained by the store with every assignment, unassignment and
	// resolution.
	Open int `json:"open"`
	// LastAssignedAt is when the agent last got a conversation.
	LastAssignedAt time.Time `json:"last_assigned_at,omitzero"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
}

// Full reports whether the agent cannot take another conversation.
func (a Agent) Full() bool { return a.Capacity > 0 && a.Open >= a.Capacity }

// Assignment errors.
var (
	// ErrAssigned: the conversation already has an owner (agent or AI), or
	// is not open.
	ErrAssigned = errors.New("store: conversation already assigned or not open")
	// ErrAgentFull: the agent is at capacity.
	ErrAgentFull = errors.New("store: agent at capacity")
	// ErrAgentUnavailable: the agent is not online.
	ErrAgentUnavailable = errors.New("store: agent not online")
)

// Agents keeps human agents.
type Agents interface {
	// CreateAgent stores a new agent (Open is ignored and starts at 0);
	// ErrExists if the ID is taken.
	CreateAgent(ctx context.Context, a Agent) error
	// UpdateAgent replaces an agent's Name, Capacity, Teams and UpdatedAt;
	// Status, Open and LastAssignedAt are kept. Lowering the capacity below
	// Open unassigns nothing. ErrNotFound if there is no such agent.
	UpdateAgent(ctx context.Context, a Agent) (Agent, error)
	// SetAgentStatus sets an agent's status and UpdatedAt; ErrNotFound.
	SetAgentStatus(ctx context.Context, id string, s AgentStatus, at time.Time) (Agent, error)
	// Agent returns an agent with its current Open count, or ErrNotFound.
	Agent(ctx context.Context, id string) (Agent, error)
	// ListAgents returns the agents with these IDs (every agent when ids is
	// nil), ordered by ID, with current Open counts. Unknown IDs are
	// skipped.
	ListAgents(ctx context.Context, ids []string) ([]Agent, error)
	// DeleteAgent removes an agent; ErrNotFound. Conversations assigned to
	// it keep its ID.
	DeleteAgent(ctx context.Context, id string) error
}

// Claim errors and rules are shared by the assignment operations below.

// AssignRequest asks to give a conversation to a human agent.
type AssignRequest struct {
	ConversationID string
	AgentID        string
	At             time.Time
	// CursorKey, when set, records AgentID as the round-robin cursor under
	// this key in the same atomic step (see Cursor).
	CursorKey string
	// Force skips the online check (a supervisor assigning by hand); the
	// capacity still holds.
	Force bool
}

// Assignments gives conversations owners. Every operation is atomic: a
// conversation never has two owners and an agent never exceeds its
// capacity, across goroutines and processes.
type Assignments interface {
	// ClaimAssignment assigns an open conversation with no owner (no
	// AssigneeID, no AIAgentID) to an agent that is online (unless Force)
	// and below capacity, in one atomic step: the conversation gets
	// AssigneeID, its QueuedAt is cleared; the agent's Open is incremented
	// and LastAssignedAt set; the contact's LastAgentID is set; the cursor
	// is updated. Errors: ErrNotFound (conversation or agent), ErrAssigned,
	// ErrAgentFull, ErrAgentUnavailable; nothing changes then.
	ClaimAssignment(ctx context.Context, r AssignRequest) (Conversation, error)
	// AssignAI gives an open conversation with no owner to an AI agent
	// (AIAgentID), clearing QueuedAt. ErrAssigned if it has an owner, or if
	// an AI agent already handed it off (AIHandedOff). ErrNotFound.
	AssignAI(ctx context.Context, conversationID, aiAgentID string, at time.Time) (Conversation, error)
	// HandOff takes an AI-owned conversation from its AI agent: AIAgentID is
	// cleared, AIHandedOff set, and the conversation is queued (QueuedAt =
	// at, QueueTarget = target) for human assignment. It is a no-op
	// returning the conversation when no AI agent owns it or it is not
	// open. A pending AI turn is cancelled (CompleteAITurn for it returns
	// ErrLeaseLost). ErrNotFound.
	HandOff(ctx context.Context, conversationID, target string, at time.Time) (Conversation, error)
	// Unassign removes the human owner of a conversation, decrementing that
	// agent's Open, and queues the conversation (QueuedAt = at, keeping its
	// QueueTarget) if it is still open. No-op without a human owner or when
	// the conversation is not open (Resolve already freed the capacity).
	// ErrNotFound.
	Unassign(ctx context.Context, conversationID string, at time.Time) (Conversation, error)
	// Queue marks an open, unowned conversation as waiting for an agent:
	// QueuedAt = at (kept if already queued) and QueueTarget = target ("" =
	// the channel's pool, "team:<name>", "agent:<id>"). ErrAssigned if it
	// has an owner. ErrNotFound.
	Queue(ctx context.Context, conversationID, target string, at time.Time) (Conversation, error)
	// QueuedConversations returns up to limit open, unowned, queued
	// conversations, oldest QueuedAt first, ties by conversation creation; a
	// limit <= 0 means no limit.
	QueuedConversations(ctx context.Context, limit int) ([]Conversation, error)
	// RequeueAgent unassigns every open conversation of an agent (as
	// Unassign does) and returns them; an unknown (deleted) agent is not an
	// error: its conversations are the ones to requeue.
	RequeueAgent(ctx context.Context, agentID string, at time.Time) ([]Conversation, error)
	// Cursor returns the round-robin cursor stored under key ("" if none).
	Cursor(ctx context.Context, key string) (string, error)
}
