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
	// ErrAssigned: the conversation's owner is not the one the caller
	// expected (someone else assigned it first), or an AI agent was asked
	// to take a conversation an AI agent already handed off.
	ErrAssigned = errors.New("store: conversation owner changed")
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
	// DeleteAgent removes an agent and its channel memberships;
	// ErrNotFound. Conversations assigned to it keep its ID.
	DeleteAgent(ctx context.Context, id string) error
}
