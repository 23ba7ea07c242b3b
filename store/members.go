package store

import (
	"context"
	"fmt"
	"time"

	"github.com/livedesk/livedesk/channel"
)

// MemberOp is what a MemberChange does.
type MemberOp string

// Member operations.
const (
	// MemberAdd makes an agent serve the channel. Adding a member that is
	// already there keeps its place; for an AI agent it sets Enabled.
	MemberAdd MemberOp = "add"
	// MemberRemove takes an agent off the channel; removing one that is not
	// there changes nothing.
	MemberRemove MemberOp = "remove"
	// MemberEnable sets an AI agent's Enabled flag; ErrNotFound if it is
	// not on the channel.
	MemberEnable MemberOp = "enable"
)

// MemberChange adds, removes or enables one member of a channel. Exactly
// one of AgentID and AIAgentID names the member; MemberEnable takes an AI
// agent only.
type MemberChange struct {
	ChannelID string
	AgentID   string
	AIAgentID string
	Op        MemberOp
	// Enabled is the AI agent's flag, for MemberAdd and MemberEnable.
	Enabled bool
}

// Members keeps who serves each channel: its human agents and its AI
// agents with their enabled flag. Membership is its own data, written only
// through ChangeMember: UpdateChannel neither changes nor drops it, and
// readers see it in a channel's Settings.Assignment.Agents and AIAgents.
type Members interface {
	// ChangeMember applies one change atomically (concurrent changes of the
	// same channel never lose one another) and returns the channel as it
	// is afterwards, members in the order they were added. ErrNotFound if
	// the channel does not exist, if a human agent being added does not
	// exist, or (MemberEnable) if the AI agent is not on the channel.
	// Deleting an agent (DeleteAgent) also removes it from every channel.
	ChangeMember(ctx context.Context, c MemberChange, at time.Time) (channel.Channel, error)
}

// CheckMemberChange returns an error for a MemberChange that no store can
// apply: not exactly one member named, an unknown Op, or MemberEnable of a
// human agent. Stores call it first.
func CheckMemberChange(c MemberChange) error {
	switch {
	case (c.AgentID == "") == (c.AIAgentID == ""):
		return fmt.Errorf("store: a member change names exactly one of AgentID and AIAgentID (got %q and %q)", c.AgentID, c.AIAgentID)
	case c.Op != MemberAdd && c.Op != MemberRemove && c.Op != MemberEnable:
		return fmt.Errorf("store: member change Op %q must be add, remove or enable", c.Op)
	case c.Op == MemberEnable && c.AgentID != "":
		return fmt.Errorf("store: only AI agents are enabled or disabled (agent %q)", c.AgentID)
	}
	return nil
}
