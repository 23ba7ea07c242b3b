package pgstore_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/store"
	"github.com/livedesk/livedesk/store/pgstore/pgtest"
)

// TestDeleteAgentWhileAdded races DeleteAgent with ChangeMember adding
// the same agent, in the interleaving that would leave a membership of a
// deleted agent: DeleteAgent has deleted the agent's row and is deleting
// its memberships (held there by another transaction's lock on one of
// them) when ChangeMember starts. ChangeMember must wait for DeleteAgent
// and then find no agent, rather than add a member DeleteAgent's
// statement can no longer see.
func TestDeleteAgentWhileAdded(t *testing.T) {
	t.Parallel()
	pool := pgtest.Pool(t)
	s, schema := newStore(t, pool, nil)
	ctx := t.Context()
	require.NoError(t, s.CreateAgent(ctx, store.Agent{ID: "x", Status: store.AgentOnline, CreatedAt: t0, UpdatedAt: t0}))
	ch2 := testChannel("ch2")
	ch2.Settings.Assignment.Agents = []string{"x"}
	require.NoError(t, s.CreateChannel(ctx, testChannel("ch1")))
	require.NoError(t, s.CreateChannel(ctx, ch2))

	// waiting reports whether a statement of this schema containing text
	// waits for a lock.
	q := pgx.Identifier{schema}.Sanitize()
	waiting := func(text string) bool {
		var n int
		require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity
			WHERE wait_event_type = 'Lock' AND strpos(query, $1) > 0 AND strpos(query, $2) > 0`, q, text).Scan(&n))
		return n > 0
	}

	holder, err := pool.Begin(ctx)
	require.NoError(t, err)
	defer holder.Rollback(context.Background()) //nolint:errcheck // after Commit, a no-op
	_, err = holder.Exec(ctx, `SELECT 1 FROM `+q+`.channel_members WHERE channel_id = 'ch2' AND member_id = 'x' FOR UPDATE`)
	require.NoError(t, err)

	deleted := make(chan error, 1)
	go func() { deleted <- s.DeleteAgent(context.Background(), "x") }()
	require.Eventually(t, func() bool { return waiting("DELETE FROM " + q + ".channel_members") }, 10*time.Second, time.Millisecond,
		"DeleteAgent waits for the membership the holder locked")

	added := make(chan error, 1)
	go func() {
		_, err := s.ChangeMember(context.Background(), store.MemberChange{ChannelID: "ch1", AgentID: "x", Op: store.MemberAdd}, t0)
		added <- err
	}()
	// ChangeMember either waits for the agent's row (right) or has
	// finished, having added a member its agent is being deleted (wrong,
	// caught below).
	var addErr error
	done := false
	require.Eventually(t, func() bool {
		select {
		case addErr = <-added:
			done = true
			return true
		default:
			return waiting("FOR KEY SHARE")
		}
	}, 10*time.Second, time.Millisecond)
	require.False(t, done, "ChangeMember did not wait for DeleteAgent (returned %v)", addErr)

	require.NoError(t, holder.Commit(ctx))
	require.NoError(t, <-deleted)
	addErr = <-added
	require.True(t, errors.Is(addErr, store.ErrNotFound), "adding a deleted agent: %v", addErr)
	for _, id := range []string{"ch1", "ch2"} {
		ch, err := s.Channel(ctx, id)
		require.NoError(t, err)
		require.Empty(t, ch.Settings.Assignment.Agents, "channel %s", id)
	}
}

// TestMembersNotInSettings checks where membership is stored: never in the
// settings column, whatever the channel given to CreateChannel or
// UpdateChannel holds, so no writer of the settings can change it.
func TestMembersNotInSettings(t *testing.T) {
	t.Parallel()
	pool := pgtest.Pool(t)
	s, schema := newStore(t, pool, nil)
	ctx := t.Context()
	ch := testChannel("ch1")
	ch.Version = 1
	ch.Settings.Assignment.Agents = []string{"a1"}
	ch.Settings.Assignment.AIAgents = []channel.AIAgentRef{{ID: "bot", Enabled: true}}
	require.NoError(t, s.CreateChannel(ctx, ch))
	settings := func() string {
		var raw string
		require.NoError(t, pool.QueryRow(ctx, "SELECT settings::text FROM "+pgx.Identifier{schema, "channels"}.Sanitize()+
			" WHERE id = 'ch1'").Scan(&raw))
		return raw
	}
	require.NotContains(t, settings(), "a1")
	require.NotContains(t, settings(), "bot")

	ch.Settings.Assignment.Agents = []string{"a9"}
	ch.Settings.Assignment.AIAgents = nil
	got, err := s.UpdateChannel(ctx, ch)
	require.NoError(t, err)
	require.NotContains(t, settings(), "a9")
	require.Equal(t, []string{"a1"}, got.Settings.Assignment.Agents)
	require.Equal(t, []channel.AIAgentRef{{ID: "bot", Enabled: true}}, got.Settings.Assignment.AIAgents)
}
