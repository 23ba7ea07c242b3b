package pgstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/store"
)

// Member kinds, the channel_members.kind column (migration 0005).
const (
	memberAgent = "agent"
	memberAI    = "ai"
)

// The statements of ChangeMember. Each changes one row of channel_members
// and returns whether the channel and the member were found. The channel
// row is locked FOR KEY SHARE, so a concurrent DeleteChannel waits for the
// change (and its cascade then removes the row written) or has already
// removed the channel (and nothing is written). Concurrent changes of one
// channel touch different rows or serialize on the same one: none is lost.
const (
	// addAgentMemberSQL also locks the agent FOR KEY SHARE: a concurrent
	// DeleteAgent waits and then removes the new row, or has already
	// removed the agent and nothing is written. Adding a member already
	// there keeps its row, hence its place.
	addAgentMemberSQL = `WITH ch AS (
	SELECT id FROM {{schema}}.channels WHERE id = $1 FOR KEY SHARE
), a AS (
	SELECT id FROM {{schema}}.agents WHERE id = $2 FOR KEY SHARE
), ins AS (
	INSERT INTO {{schema}}.channel_members (channel_id, kind, member_id, enabled, added_at)
	SELECT ch.id, 'agent', a.id, true, $3 FROM ch, a
	ON CONFLICT (channel_id, kind, member_id) DO NOTHING
)
SELECT EXISTS (SELECT 1 FROM ch), EXISTS (SELECT 1 FROM a)`
	// addAIMemberSQL adds an AI agent or, when it is there, sets its flag
	// (keeping its place).
	addAIMemberSQL = `WITH ch AS (
	SELECT id FROM {{schema}}.channels WHERE id = $1 FOR KEY SHARE
), ins AS (
	INSERT INTO {{schema}}.channel_members (channel_id, kind, member_id, enabled, added_at)
	SELECT ch.id, 'ai', $2, $3, $4 FROM ch
	ON CONFLICT (channel_id, kind, member_id) DO UPDATE SET enabled = excluded.enabled
)
SELECT EXISTS (SELECT 1 FROM ch), true`
	removeMemberSQL = `WITH ch AS (
	SELECT id FROM {{schema}}.channels WHERE id = $1 FOR KEY SHARE
), del AS (
	DELETE FROM {{schema}}.channel_members m USING ch WHERE m.channel_id = ch.id AND m.kind = $2 AND m.member_id = $3
)
SELECT EXISTS (SELECT 1 FROM ch), true`
	enableMemberSQL = `WITH ch AS (
	SELECT id FROM {{schema}}.channels WHERE id = $1 FOR KEY SHARE
), upd AS (
	UPDATE {{schema}}.channel_members m SET enabled = $3 FROM ch
	WHERE m.channel_id = ch.id AND m.kind = 'ai' AND m.member_id = $2
	RETURNING m.member_id
)
SELECT EXISTS (SELECT 1 FROM ch), EXISTS (SELECT 1 FROM upd)`
	// deleteAgentMembersSQL runs after the agent's row is deleted, in the
	// same transaction but a statement of its own: its snapshot sees a
	// membership that a ChangeMember holding the agent's row committed
	// while the delete waited for it.
	deleteAgentMembersSQL = `DELETE FROM {{schema}}.channel_members WHERE kind = 'agent' AND member_id = $1`
)

// ChangeMember implements store.Members: the change and the read of the
// channel as it is afterwards go in one batch, one round trip and one
// implicit transaction.
func (s *Store) ChangeMember(ctx context.Context, c store.MemberChange, at time.Time) (channel.Channel, error) {
	kind, id, err := checkMemberChange(c)
	if err != nil {
		return channel.Channel{}, err
	}
	var sql string
	var args []any
	switch {
	case c.Op == store.MemberAdd && kind == memberAgent:
		sql, args = s.q.addAgentMember, []any{c.ChannelID, id, at}
	case c.Op == store.MemberAdd:
		sql, args = s.q.addAIMember, []any{c.ChannelID, id, c.Enabled, at}
	case c.Op == store.MemberRemove:
		sql, args = s.q.removeMember, []any{c.ChannelID, kind, id}
	default: // MemberEnable, of an AI agent (checkMemberChange)
		sql, args = s.q.enableMember, []any{c.ChannelID, id, c.Enabled}
	}
	var (
		channelFound, memberFound bool
		ch                        channel.Channel
		readErr                   error
	)
	b := &pgx.Batch{}
	b.Queue(sql, args...).QueryRow(func(row pgx.Row) error { return row.Scan(&channelFound, &memberFound) })
	b.Queue(s.q.channel, c.ChannelID).QueryRow(func(row pgx.Row) error {
		ch, readErr = s.scanChannel(row)
		if errors.Is(readErr, pgx.ErrNoRows) {
			return nil // told by channelFound
		}
		return readErr
	})
	if err := s.pool.SendBatch(ctx, b).Close(); err != nil {
		return channel.Channel{}, fmt.Errorf("pgstore: %s member %q of channel %q: %w", c.Op, id, c.ChannelID, err)
	}
	switch {
	case !channelFound || readErr != nil:
		return channel.Channel{}, fmt.Errorf("pgstore: channel %q: %w", c.ChannelID, store.ErrNotFound)
	case !memberFound && kind == memberAgent:
		return channel.Channel{}, fmt.Errorf("pgstore: adding agent %q to channel %q: agent %q: %w", id, c.ChannelID, id, store.ErrNotFound)
	case !memberFound:
		return channel.Channel{}, fmt.Errorf("pgstore: enabling AI agent %q on channel %q: it is not on the channel: %w", id, c.ChannelID, store.ErrNotFound)
	}
	return ch, nil
}

// checkMemberChange returns the member's kind and ID, or the error of
// store.CheckMemberChange.
func checkMemberChange(c store.MemberChange) (kind, id string, err error) {
	if err := store.CheckMemberChange(c); err != nil {
		return "", "", fmt.Errorf("pgstore: channel %q: %w", c.ChannelID, err)
	}
	if c.AgentID != "" {
		return memberAgent, c.AgentID, nil
	}
	return memberAI, c.AIAgentID, nil
}
