package livedesk_test

import (
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/livedesktest"
	"github.com/livedesk/livedesk/store"
)

// configured is the channel a host configures from code on every start.
func configured(mods ...func(*channel.Channel)) channel.Channel {
	return livedesktest.TestChannel(append([]func(*channel.Channel){func(c *channel.Channel) {
		c.ID = "support"
		c.Settings.Greeting = channel.Greeting{Enabled: true, Text: "Hi!"}
	}}, mods...)...)
}

func TestEnsureChannel(t *testing.T) {
	h := livedesktest.New(t)
	ctx := t.Context()
	h.MustAddAgent(h.AddChannel(), store.Agent{ID: "bea"}) // bea exists

	first, did, err := h.Desk.EnsureChannel(ctx, configured(func(c *channel.Channel) { c.Settings.Assignment.Agents = []string{"bea"} }))
	require.NoError(t, err)
	require.Equal(t, livedesk.EnsureCreated, did)
	require.EqualValues(t, 1, first.Version)
	require.Equal(t, []string{"bea"}, first.Settings.Assignment.Agents, "a new channel's first members")

	_, err = h.Desk.CreateChannel(ctx, configured())
	require.ErrorIs(t, err, livedesk.ErrExists, "CreateChannel on a taken ID")

	// A restart with the same configuration writes nothing and asks Twilio nothing.
	calls := len(h.Twilio.Calls())
	again, did, err := h.Desk.EnsureChannel(ctx, configured())
	require.NoError(t, err)
	require.Equal(t, livedesk.EnsureUnchanged, did)
	require.EqualValues(t, 1, again.Version)
	require.Len(t, h.Twilio.Calls(), calls, "no Twilio check for an unchanged channel")

	// Membership changed at run time survives a restart with a new greeting.
	require.NoError(t, h.Desk.RemoveAgent(ctx, "support", "bea"))
	changed, did, err := h.Desk.EnsureChannel(ctx, configured(func(c *channel.Channel) {
		c.Name = "Support FR"
		c.Settings.Greeting.Text = "Bonjour !"
		c.Settings.Assignment.Agents = []string{"bea"} // only a new channel's first members
	}))
	require.NoError(t, err)
	require.Equal(t, livedesk.EnsureUpdated, did)
	require.EqualValues(t, 2, changed.Version, "membership changes do not bump the Version")
	require.Equal(t, "Support FR", changed.Name)
	require.Equal(t, "Bonjour !", changed.Settings.Greeting.Text)
	require.Empty(t, changed.Settings.Assignment.Agents, "membership is kept as stored")

	// Bad input: a clear error, nothing changed.
	_, _, err = h.Desk.EnsureChannel(ctx, livedesktest.TestChannel())
	require.ErrorContains(t, err, "ID is required")
	_, _, err = h.Desk.EnsureChannel(ctx, configured(func(c *channel.Channel) { c.Twilio.PhoneNumber = "0612" }))
	require.ErrorIs(t, err, channel.ErrInvalid)
	stored, err := h.Desk.Channel(ctx, "support")
	require.NoError(t, err)
	require.EqualValues(t, 2, stored.Version)
	require.Equal(t, "+14155238886", stored.Twilio.PhoneNumber)
}

// racingStore lets another process update the channel once, just before
// the desk's first UpdateChannel.
type racingStore struct {
	store.Store
	once sync.Once
}

func (s *racingStore) UpdateChannel(ctx context.Context, ch channel.Channel) (channel.Channel, error) {
	s.once.Do(func() {
		other, err := s.Store.Channel(ctx, ch.ID)
		if err == nil {
			other.Settings.CSAT.Enabled = true
			_, err = s.Store.UpdateChannel(ctx, other)
		}
		if err != nil {
			panic(err)
		}
	})
	return s.Store.UpdateChannel(ctx, ch)
}

func TestEnsureChannelRetriesAConflict(t *testing.T) {
	var rs *racingStore
	h := livedesktest.New(t, func(o *livedesk.Options) { rs = &racingStore{Store: o.Store}; o.Store = rs })
	ctx := t.Context()
	_, did, err := h.Desk.EnsureChannel(ctx, configured())
	require.NoError(t, err)
	require.Equal(t, livedesk.EnsureCreated, did)

	got, did, err := h.Desk.EnsureChannel(ctx, configured(func(c *channel.Channel) { c.Settings.Greeting.Text = "Hello" }))
	require.NoError(t, err)
	require.Equal(t, livedesk.EnsureUpdated, did)
	require.EqualValues(t, 3, got.Version, "the other update (2), then ours from a fresh read (3)")
	require.Equal(t, "Hello", got.Settings.Greeting.Text)
	require.False(t, got.Settings.CSAT.Enabled, "the configuration in code wins for what it configures")
}

// TestEnsureChannelRestartOnPostgres restarts a desk on a persistent
// store: the stored channel (read back from Postgres) equals the
// configuration, so the second start writes nothing.
func TestEnsureChannelRestartOnPostgres(t *testing.T) {
	s := newPGStore(t)
	ctx := t.Context()
	ch := configured(func(c *channel.Channel) {
		c.Settings.BusinessHours.Enabled = false
		c.Settings.Assignment.Rules = nil
	})
	for i, want := range []livedesk.Ensured{livedesk.EnsureCreated, livedesk.EnsureUnchanged, livedesk.EnsureUnchanged} {
		h := livedesktest.New(t, func(o *livedesk.Options) { o.Store = s })
		got, did, err := h.Desk.EnsureChannel(ctx, ch)
		require.NoError(t, err, "start %d", i)
		require.Equal(t, want, did, "start %d", i)
		require.EqualValues(t, 1, got.Version, "start %d", i)
	}
}
