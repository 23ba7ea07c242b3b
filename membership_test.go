package livedesk_test

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/livedesktest"
	"github.com/livedesk/livedesk/routing"
	"github.com/livedesk/livedesk/store"
)

func createAgent(t *testing.T, h *livedesktest.Harness, id string, capacity int, status store.AgentStatus, teams ...string) {
	t.Helper()
	_, err := h.CreateAgent(t.Context(), store.Agent{ID: id, Name: "Agent " + id, Capacity: capacity, Status: status, Teams: teams})
	require.NoError(t, err)
}

func TestMembership(t *testing.T) {
	forEachStore(t, func(t *testing.T, newStore func(t *testing.T) store.Store) {
		bot := scriptedAI(func(livedesk.AIRequest) (livedesk.AIResponse, error) { return livedesk.AIResponse{Text: "hi"}, nil })
		setup := func(t *testing.T) (*livedesktest.Harness, channel.Channel) {
			h, _ := newHarness(t, func(o *livedesk.Options) { o.Store = newStore(t) }, withAI("gpt", bot))
			return h, h.AddChannel()
		}
		t.Run("an UpdateChannel with a copy read before AddAgent keeps the agent", func(t *testing.T) {
			h, ch := setup(t)
			createAgent(t, h, "a1", 0, store.AgentOnline)
			stale, err := h.Channel(t.Context(), ch.ID)
			require.NoError(t, err)
			require.NoError(t, h.AddAgent(t.Context(), ch.ID, "a1"))
			require.NoError(t, h.AddAIAgent(t.Context(), ch.ID, "gpt", true))
			stale.Settings.Assignment.Strategy = routing.StrategyRoundRobin
			got, err := h.UpdateChannel(t.Context(), stale)
			require.NoError(t, err)
			require.Equal(t, []string{"a1"}, got.Settings.Assignment.Agents)
			require.Equal(t, []channel.AIAgentRef{{ID: "gpt", Enabled: true}}, got.Settings.Assignment.AIAgents)
			require.Equal(t, int64(2), got.Version)
			// A new conversation goes to the AI agent, as the membership says.
			h.Post(ch, livedesktest.Message{Body: "hello"})
			require.Equal(t, "gpt", h.RequireConversations(ch.ID, 1)[0].AIAgentID)
		})
		t.Run("a stale UpdateChannel is ErrConflict and changes nothing", func(t *testing.T) {
			h, ch := setup(t)
			first, second := ch, ch
			first.Name = "First"
			_, err := h.UpdateChannel(t.Context(), first)
			require.NoError(t, err)
			second.Settings.Greeting = channel.Greeting{Enabled: true, Text: "Hi"}
			_, err = h.UpdateChannel(t.Context(), second)
			require.ErrorIs(t, err, livedesk.ErrConflict)
			got, err := h.Channel(t.Context(), ch.ID)
			require.NoError(t, err)
			require.Equal(t, "First", got.Name)
			require.False(t, got.Settings.Greeting.Enabled)
			// The documented pattern: read again, change, update.
			got.Settings.Greeting = channel.Greeting{Enabled: true, Text: "Hi"}
			_, err = h.UpdateChannel(t.Context(), got)
			require.NoError(t, err)
			h.Post(ch, livedesktest.Message{Body: "hello"})
			h.RequireQueued(h.RequireConversations(ch.ID, 1)[0].ID, store.KindGreeting, 1)
		})
		t.Run("50 concurrent add, remove and enable calls leave exactly the expected membership", func(t *testing.T) {
			h, ch := setup(t)
			for i := range 40 {
				createAgent(t, h, fmt.Sprintf("a%02d", i), 0, store.AgentOnline)
			}
			for i := range 20 {
				require.NoError(t, h.AddAgent(t.Context(), ch.ID, fmt.Sprintf("a%02d", i)))
			}
			require.NoError(t, h.AddAIAgent(t.Context(), ch.ID, "gpt", false))
			var wg sync.WaitGroup
			errs := make(chan error, 50)
			for i := range 50 {
				wg.Go(func() {
					var err error
					switch {
					case i < 20: // a00-a19 leave
						err = h.RemoveAgent(t.Context(), ch.ID, fmt.Sprintf("a%02d", i))
					case i < 40: // a20-a39 join
						err = h.AddAgent(t.Context(), ch.ID, fmt.Sprintf("a%02d", i))
					default: // the AI agent is enabled, ten times
						err = h.EnableAIAgent(t.Context(), ch.ID, "gpt", true)
					}
					errs <- err
				})
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				require.NoError(t, err)
			}
			got, err := h.Channel(t.Context(), ch.ID)
			require.NoError(t, err)
			var want []string
			for i := 20; i < 40; i++ {
				want = append(want, fmt.Sprintf("a%02d", i))
			}
			require.Equal(t, want, slices.Sorted(slices.Values(got.Settings.Assignment.Agents)))
			require.Equal(t, []channel.AIAgentRef{{ID: "gpt", Enabled: true}}, got.Settings.Assignment.AIAgents)
		})
		t.Run("membership calls check what they name", func(t *testing.T) {
			h, ch := setup(t)
			require.ErrorIs(t, h.AddAgent(t.Context(), ch.ID, "ghost"), livedesk.ErrNotFound)
			require.ErrorIs(t, h.AddAIAgent(t.Context(), ch.ID, "nobody", true), livedesk.ErrUnknownAIAgent)
			require.ErrorIs(t, h.EnableAIAgent(t.Context(), ch.ID, "gpt", true), livedesk.ErrNotFound)
			createAgent(t, h, "a1", 0, store.AgentOnline)
			require.ErrorIs(t, h.AddAgent(t.Context(), "no-channel", "a1"), livedesk.ErrNotFound)
			got, err := h.Channel(t.Context(), ch.ID)
			require.NoError(t, err)
			require.Empty(t, got.Settings.Assignment.Agents)
			require.Empty(t, got.Settings.Assignment.AIAgents)
		})
	})
}

func TestReferencesAreChecked(t *testing.T) {
	bot := scriptedAI(func(livedesk.AIRequest) (livedesk.AIResponse, error) { return livedesk.AIResponse{Text: "hi"}, nil })
	h, _ := newHarness(t, withAI("gpt", bot))
	createAgent(t, h, "a1", 0, store.AgentOnline)
	bad := []routing.Rule{
		{Name: "known", When: routing.Condition{TextContainsAny: []string{"a"}}, Then: routing.Target{Agent: "a1"}},
		{Name: "ghost", When: routing.Condition{TextContainsAny: []string{"b"}}, Then: routing.Target{Agent: "u_9"}},
		{Name: "robot", When: routing.Condition{TextContainsAny: []string{"c"}}, Then: routing.Target{AIAgent: "claude"}},
		{Name: "team", When: routing.Condition{TextContainsAny: []string{"d"}}, Then: routing.Target{Team: "nobody-yet"}},
	}
	_, err := h.CreateChannel(t.Context(), livedesktest.TestChannel(func(c *channel.Channel) {
		c.Settings.Assignment.Rules = bad
		c.Settings.Assignment.Agents = []string{"a1", "ghost"}
		c.Settings.Assignment.AIAgents = []channel.AIAgentRef{{ID: "gpt"}, {ID: "hal"}}
	}))
	require.ErrorIs(t, err, channel.ErrInvalid)
	require.ErrorIs(t, err, livedesk.ErrUnknownAIAgent)
	var ve *channel.ValidationError
	require.True(t, errors.As(err, &ve))
	var fields []string
	for _, p := range ve.Problems {
		fields = append(fields, p.Field)
	}
	require.Equal(t, []string{"Settings.Assignment.Rules[1].then.agent", "Settings.Assignment.Rules[2].then.ai_agent",
		"Settings.Assignment.Agents[1]", "Settings.Assignment.AIAgents[1]"}, fields)
	require.Contains(t, err.Error(), `names agent "u_9", which does not exist`)
	chs, err := h.Channels(t.Context())
	require.NoError(t, err)
	require.Empty(t, chs, "nothing stored")

	ch := h.AddChannel()
	ch.Settings.Assignment.Rules = bad[1:2]
	_, err = h.UpdateChannel(t.Context(), ch)
	require.ErrorIs(t, err, channel.ErrInvalid, "UpdateChannel checks rules too")
	got, err := h.Channel(t.Context(), ch.ID)
	require.NoError(t, err)
	require.Empty(t, got.Settings.Assignment.Rules)
}

func TestTeamWithNoMemberIsReported(t *testing.T) {
	h, logs := newHarness(t)
	ch := h.AddChannel(rules(routing.Rule{Name: "billing", When: routing.Condition{TextContainsAny: []string{"invoice"}}, Then: routing.Target{Team: "billing"}}))
	createAgent(t, h, "a1", 0, store.AgentOnline, "sales")
	require.NoError(t, h.AddAgent(t.Context(), ch.ID, "a1"))
	h.Post(ch, livedesktest.Message{Body: "my invoice"})
	q := h.WaitEvents(livedesk.EventQueued, 1)[0]
	require.Equal(t, routing.Target{Team: "billing"}, q.Target)
	require.Equal(t, `team "billing"`, q.Reason)
	e := h.WaitEvents(livedesk.EventTeamEmpty, 1)[0]
	require.Contains(t, e.Reason, `"billing"`)
	require.Contains(t, logs.String(), "team=billing")
	conv := h.RequireConversations(ch.ID, 1)[0]
	require.Equal(t, routing.Target{Team: "billing"}, conv.QueueTarget)
	// Once an agent of the team joins, the queue drains to them.
	createAgent(t, h, "b1", 0, store.AgentOnline, "billing")
	require.NoError(t, h.AddAgent(t.Context(), ch.ID, "b1"))
	stop := h.Start()
	defer stop()
	require.Equal(t, "b1", h.WaitEvents(livedesk.EventAssigned, 1)[0].AgentID)
	c, err := h.Conversation(t.Context(), conv.ID)
	require.NoError(t, err)
	require.Equal(t, "b1", c.AssigneeID)
}
