package livedesk_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/livedesktest"
	"github.com/livedesk/livedesk/routing"
	"github.com/livedesk/livedesk/store"
)

// addAgents creates n online agents a0..a(n-1) with the given capacity on
// the channel.
func addAgents(t testing.TB, h *livedesktest.Harness, ch channel.Channel, n, capacity int, teams ...string) []string {
	var ids []string
	for i := range n {
		id := fmt.Sprintf("a%d", i)
		_, err := h.Desk.CreateAgent(context.Background(), store.Agent{ID: id, Name: "Agent " + id, Capacity: capacity, Status: store.AgentOnline, Teams: teams})
		require.NoError(t, err)
		require.NoError(t, h.Desk.AddAgent(context.Background(), ch.ID, id))
		ids = append(ids, id)
	}
	return ids
}

func rules(rs ...routing.Rule) func(*channel.Channel) {
	return func(c *channel.Channel) { c.Settings.Assignment.Rules = rs }
}

func strategy(s routing.Strategy) func(*channel.Channel) {
	return func(c *channel.Channel) { c.Settings.Assignment.Strategy = s }
}

// scriptedAI answers from a function.
func scriptedAI(f func(livedesk.AIRequest) (livedesk.AIResponse, error)) livedesk.AIAgent {
	return livedesk.AIAgentFunc(func(_ context.Context, r livedesk.AIRequest) (livedesk.AIResponse, error) { return f(r) })
}

func withAI(id string, a livedesk.AIAgent) func(*livedesk.Options) {
	return func(o *livedesk.Options) {
		if o.AIAgents == nil {
			o.AIAgents = map[string]livedesk.AIAgent{}
		}
		o.AIAgents[id] = a
	}
}

func convOf(t *testing.T, h *livedesktest.Harness, ch channel.Channel, from string) store.Conversation {
	t.Helper()
	for _, c := range h.MustConversations(ch) {
		k, err := h.Desk.Contact(t.Context(), c.ContactID)
		require.NoError(t, err)
		if k.Phone == from {
			return c
		}
	}
	t.Fatalf("no conversation for %s", from)
	return store.Conversation{}
}

func TestAssignmentPriority(t *testing.T) {
	vip := routing.Rule{Name: "VIP", When: routing.Condition{TextContainsAny: []string{"urgent"}}, Then: routing.Target{Team: "vip"}}
	bot := scriptedAI(func(livedesk.AIRequest) (livedesk.AIResponse, error) {
		return livedesk.AIResponse{Text: "I can help with that."}, nil
	})
	t.Run("a rule beats the AI agent", func(t *testing.T) {
		h, _ := newHarness(t, withAI("gpt", bot))
		ch := h.AddChannel(rules(vip))
		addAgents(t, h, ch, 1, 5, "vip")
		require.NoError(t, h.Desk.AddAIAgent(t.Context(), ch.ID, "gpt", true))
		h.Post(ch, livedesktest.Message{From: "+14155550100", Body: "URGENT: my order"})
		c := convOf(t, h, ch, "+14155550100")
		require.Equal(t, "a0", c.AssigneeID)
		require.Empty(t, c.AIAgentID)
		ev := h.WaitEvents(livedesk.EventAssigned, 1)[0]
		require.Equal(t, `rule "VIP"`, ev.Reason)
	})
	t.Run("the AI agent beats the human pool", func(t *testing.T) {
		h, _ := newHarness(t, withAI("gpt", bot))
		ch := h.AddChannel(rules(vip))
		addAgents(t, h, ch, 1, 5)
		require.NoError(t, h.Desk.AddAIAgent(t.Context(), ch.ID, "gpt", true))
		h.Start()
		h.Post(ch, livedesktest.Message{From: "+14155550100", Body: "where is my order"})
		c := convOf(t, h, ch, "+14155550100")
		require.Equal(t, "gpt", c.AIAgentID)
		require.Empty(t, c.AssigneeID)
		h.WaitEvents(livedesk.EventMessageSent, 1)
		require.Equal(t, "I can help with that.", h.Twilio.Sent()[0].Body)
	})
	t.Run("a disabled AI agent is skipped", func(t *testing.T) {
		h, _ := newHarness(t, withAI("gpt", bot))
		ch := h.AddChannel()
		addAgents(t, h, ch, 1, 5)
		require.NoError(t, h.Desk.AddAIAgent(t.Context(), ch.ID, "gpt", true))
		require.NoError(t, h.Desk.EnableAIAgent(t.Context(), ch.ID, "gpt", false))
		h.Post(ch, livedesktest.Message{From: "+14155550100", Body: "hi"})
		require.Equal(t, "a0", convOf(t, h, ch, "+14155550100").AssigneeID)
	})
	t.Run("unknown AI agents cannot be added", func(t *testing.T) {
		h, _ := newHarness(t)
		ch := h.AddChannel()
		require.ErrorIs(t, h.Desk.AddAIAgent(t.Context(), ch.ID, "gpt", true), livedesk.ErrUnknownAIAgent)
	})
}

func TestAIHandoff(t *testing.T) {
	cases := []struct {
		name   string
		agent  livedesk.AIAgent
		reason string
		reply  bool
	}{
		{"asked for", scriptedAI(func(livedesk.AIRequest) (livedesk.AIResponse, error) {
			return livedesk.AIResponse{Text: "Let me get a colleague.", Handoff: true, Reason: "refund request"}, nil
		}), "refund request", true},
		{"an error", scriptedAI(func(livedesk.AIRequest) (livedesk.AIResponse, error) {
			return livedesk.AIResponse{}, errors.New("quota exhausted")
		}), "AI agent failed: quota exhausted", false},
		{"an empty answer", scriptedAI(func(livedesk.AIRequest) (livedesk.AIResponse, error) {
			return livedesk.AIResponse{}, nil
		}), "AI agent gave an empty answer", false},
		{"a timeout", livedesk.AIAgentFunc(func(ctx context.Context, _ livedesk.AIRequest) (livedesk.AIResponse, error) {
			<-ctx.Done() // the desk's AITimeout ends the turn
			return livedesk.AIResponse{}, ctx.Err()
		}), "AI agent failed: no answer within 50ms", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			calls := 0
			var mu sync.Mutex
			counted := livedesk.AIAgentFunc(func(ctx context.Context, r livedesk.AIRequest) (livedesk.AIResponse, error) {
				mu.Lock()
				calls++
				mu.Unlock()
				return c.agent.Respond(ctx, r)
			})
			h, _ := newHarness(t, withAI("gpt", counted), func(o *livedesk.Options) { o.AITimeout = 50 * time.Millisecond })
			ch := h.AddChannel()
			addAgents(t, h, ch, 1, 5)
			require.NoError(t, h.Desk.AddAIAgent(t.Context(), ch.ID, "gpt", true))
			h.Start()
			h.Post(ch, livedesktest.Message{From: "+14155550100", Body: "I want a refund"})
			ev := h.WaitEvents(livedesk.EventHandedOff, 1)[0]
			require.Equal(t, c.reason, ev.Reason)
			h.WaitEvents(livedesk.EventAssigned, 2) // the AI, then the human
			conv := convOf(t, h, ch, "+14155550100")
			require.Equal(t, "a0", conv.AssigneeID, "a human has it")
			require.Empty(t, conv.AIAgentID)
			require.True(t, conv.AIHandedOff)
			if c.reply {
				h.RequireQueued(conv.ID, store.KindAI, 1)
			} else {
				h.RequireQueued(conv.ID, store.KindAI, 0)
			}
			// The AI is not asked again in this conversation.
			h.Post(ch, livedesktest.Message{From: "+14155550100", Body: "hello?"})
			mu.Lock()
			require.Equal(t, 1, calls)
			mu.Unlock()
		})
	}
}

func TestAIGetsHistoryAndEachTurnOnce(t *testing.T) {
	var mu sync.Mutex
	var seen []livedesk.AIRequest
	bot := scriptedAI(func(r livedesk.AIRequest) (livedesk.AIResponse, error) {
		mu.Lock()
		seen = append(seen, r)
		mu.Unlock()
		return livedesk.AIResponse{Text: "answer to " + r.Message.Text, Usage: livedesk.AIUsage{TotalTokens: 42}}, nil
	})
	h, _ := newHarness(t, withAI("gpt", bot))
	ch := h.AddChannel(greeting)
	require.NoError(t, h.Desk.AddAIAgent(t.Context(), ch.ID, "gpt", true))
	h.Start()
	first := livedesktest.Message{SID: livedesktest.NewSID(), From: "+14155550100", Body: "one"}
	h.Post(ch, first)
	h.WaitEvents(livedesk.EventMessageSent, 1)
	h.Post(ch, first) // a retried delivery asks nothing more
	h.Post(ch, livedesktest.Message{From: "+14155550100", Body: "two"})
	h.WaitEvents(livedesk.EventMessageSent, 2)
	replied := h.WaitEvents(livedesk.EventAIReplied, 2)
	require.Equal(t, 42, replied[0].Usage.TotalTokens)
	mu.Lock()
	defer mu.Unlock()
	require.Len(t, seen, 2)
	require.Equal(t, "two", seen[1].Message.Text)
	var texts []string
	for _, m := range seen[1].History {
		texts = append(texts, m.Text)
	}
	require.Equal(t, []string{"one", "answer to one", "two"}, texts, "no greeting while the AI owns it; history in order")
}

func TestAssignmentStrategies(t *testing.T) {
	t.Run("least loaded", func(t *testing.T) {
		h, _ := newHarness(t)
		ch := h.AddChannel()
		addAgents(t, h, ch, 3, 10)
		for i := range 9 {
			h.Post(ch, livedesktest.Message{From: fmt.Sprintf("+1415555%04d", i), Body: "hi"})
		}
		for _, id := range []string{"a0", "a1", "a2"} {
			a, err := h.Desk.Agent(t.Context(), id)
			require.NoError(t, err)
			require.Equal(t, 3, a.Open, id)
		}
	})
	t.Run("round robin in turn", func(t *testing.T) {
		h, _ := newHarness(t)
		ch := h.AddChannel(strategy(routing.StrategyRoundRobin))
		addAgents(t, h, ch, 3, 0)
		var order []string
		for i := range 6 {
			from := fmt.Sprintf("+1415555%04d", i)
			h.Post(ch, livedesktest.Message{From: from, Body: "hi"})
			order = append(order, convOf(t, h, ch, from).AssigneeID)
		}
		require.Equal(t, []string{"a0", "a1", "a2", "a0", "a1", "a2"}, order)
	})
	t.Run("offline agents and full agents are skipped", func(t *testing.T) {
		h, _ := newHarness(t)
		ch := h.AddChannel()
		addAgents(t, h, ch, 2, 1)
		_, err := h.Desk.SetAgentStatus(t.Context(), "a0", store.AgentOffline)
		require.NoError(t, err)
		h.Post(ch, livedesktest.Message{From: "+14155550100", Body: "hi"})
		h.Post(ch, livedesktest.Message{From: "+14155550101", Body: "hi"})
		require.Equal(t, "a1", convOf(t, h, ch, "+14155550100").AssigneeID)
		second := convOf(t, h, ch, "+14155550101")
		require.Empty(t, second.AssigneeID)
		require.False(t, second.QueuedAt.IsZero(), "waits in the queue")
	})
}

func TestQueueDrainsWhenCapacityAppears(t *testing.T) {
	h, _ := newHarness(t)
	ch := h.AddChannel()
	addAgents(t, h, ch, 1, 1)
	_, err := h.Desk.SetAgentStatus(t.Context(), "a0", store.AgentOffline)
	require.NoError(t, err)
	h.Start()
	for i := range 3 {
		h.Clock.Advance(time.Second)
		h.Post(ch, livedesktest.Message{From: fmt.Sprintf("+1415555%04d", i), Body: "hi"})
	}
	h.WaitEvents(livedesk.EventQueued, 3)
	_, err = h.Desk.SetAgentStatus(t.Context(), "a0", store.AgentOnline) // event-driven: no poll needed
	h.WaitEvents(livedesk.EventAssigned, 1)
	require.NoError(t, err)
	first := convOf(t, h, ch, "+14155550000")
	require.Equal(t, "a0", first.AssigneeID, "oldest first")
	_, err = h.Desk.Resolve(t.Context(), first.ID)
	require.NoError(t, err)
	h.WaitEvents(livedesk.EventAssigned, 2)
	require.Equal(t, "a0", convOf(t, h, ch, "+14155550001").AssigneeID)
	require.Empty(t, convOf(t, h, ch, "+14155550002").AssigneeID)
	a, err := h.Desk.UpdateAgent(t.Context(), store.Agent{ID: "a0", Name: "Agent a0", Capacity: 2})
	require.NoError(t, err)
	require.Equal(t, 2, a.Capacity)
	h.WaitEvents(livedesk.EventAssigned, 3)
	require.Equal(t, "a0", convOf(t, h, ch, "+14155550002").AssigneeID, "a raised capacity drains the queue")
}

// TestConcurrentArrivals: 200 conversations at once, 10 agents of
// capacity 5: exactly 50 assigned, 150 queued; resolving drains the queue
// oldest first.
func TestConcurrentArrivals(t *testing.T) {
	h, _ := newHarness(t)
	ch := h.AddChannel()
	addAgents(t, h, ch, 10, 5)
	var wg sync.WaitGroup
	for i := range 200 {
		wg.Go(func() {
			req := livedesktest.NewRequest(ch, h.Desk.WebhookURL(ch.ID), h.Server.URL+"/livedesk/twilio/"+ch.ID,
				livedesktest.Message{From: fmt.Sprintf("+1415555%04d", i), Body: "hello"}.Form(ch))
			resp, err := h.Server.Client().Do(req)
			if err == nil {
				resp.Body.Close()
			}
		})
	}
	wg.Wait()
	convs := h.RequireConversations(ch.ID, 200)
	assigned, queued := map[string]int{}, 0
	for _, c := range convs {
		switch {
		case c.AssigneeID != "":
			assigned[c.AssigneeID]++
		case !c.QueuedAt.IsZero():
			queued++
		}
	}
	total := 0
	for id, n := range assigned {
		require.LessOrEqual(t, n, 5, id)
		total += n
	}
	require.Equal(t, 50, total)
	require.Equal(t, 150, queued)
	for _, a := range mustAgents(t, h) {
		require.Equal(t, 5, a.Open, a.ID)
	}
	require.Equal(t, 50, h.CountEvents(livedesk.EventAssigned), "no conversation assigned twice")

	// Resolve every assigned conversation: the 50 oldest waiting ones go next.
	waiting, err := h.Store.QueuedConversations(t.Context(), 200)
	require.NoError(t, err)
	require.Len(t, waiting, 150)
	h.Start()
	for _, c := range convs {
		if c.AssigneeID != "" {
			_, err := h.Desk.Resolve(t.Context(), c.ID)
			require.NoError(t, err)
		}
	}
	h.WaitEvents(livedesk.EventAssigned, 100)
	for i, c := range waiting {
		got, err := h.Desk.Conversation(t.Context(), c.ID)
		require.NoError(t, err)
		require.Equal(t, i < 50, got.AssigneeID != "", "waiting conversation %d", i)
	}
}

func mustAgents(t *testing.T, h *livedesktest.Harness) []store.Agent {
	as, err := h.Desk.Agents(t.Context())
	require.NoError(t, err)
	return as
}

func TestStickyAndRequeue(t *testing.T) {
	t.Run("a returning contact goes back to their agent", func(t *testing.T) {
		h, _ := newHarness(t)
		ch := h.AddChannel(func(c *channel.Channel) { c.Settings.Assignment.Sticky = true })
		addAgents(t, h, ch, 3, 10)
		h.Post(ch, livedesktest.Message{From: "+14155550100", Body: "hi"})
		first := convOf(t, h, ch, "+14155550100")
		h.Post(ch, livedesktest.Message{From: "+14155550101", Body: "hi"})
		h.Post(ch, livedesktest.Message{From: "+14155550102", Body: "hi"})
		_, err := h.Desk.Resolve(t.Context(), first.ID)
		require.NoError(t, err)
		h.Post(ch, livedesktest.Message{From: "+14155550100", Body: "me again"})
		convs := h.MustConversations(ch)
		require.Equal(t, first.AssigneeID, convs[len(convs)-1].AssigneeID)
	})
	t.Run("an offline agent's conversations are requeued", func(t *testing.T) {
		h, _ := newHarness(t)
		ch := h.AddChannel(func(c *channel.Channel) { c.Settings.Assignment.RequeueOffline = true })
		addAgents(t, h, ch, 2, 10)
		h.Post(ch, livedesktest.Message{From: "+14155550100", Body: "hi"})
		conv := convOf(t, h, ch, "+14155550100")
		h.Start()
		_, err := h.Desk.SetAgentStatus(t.Context(), conv.AssigneeID, store.AgentOffline)
		require.NoError(t, err)
		h.WaitEvents(livedesk.EventAssigned, 2)
		after := convOf(t, h, ch, "+14155550100")
		require.NotEqual(t, conv.AssigneeID, after.AssigneeID)
		require.NotEmpty(t, after.AssigneeID)
	})
}

func TestManualAssignment(t *testing.T) {
	h, _ := newHarness(t)
	ch := h.AddChannel()
	addAgents(t, h, ch, 2, 1)
	h.Post(ch, livedesktest.Message{From: "+14155550100", Body: "hi"})
	conv := convOf(t, h, ch, "+14155550100")
	other := "a1"
	if conv.AssigneeID == "a1" {
		other = "a0"
	}
	got, err := h.Desk.Assign(t.Context(), conv.ID, other)
	require.NoError(t, err)
	require.Equal(t, other, got.AssigneeID)
	h.Post(ch, livedesktest.Message{From: "+14155550101", Body: "hi"})
	second := convOf(t, h, ch, "+14155550101")
	_, err = h.Desk.Assign(t.Context(), second.ID, other)
	require.ErrorIs(t, err, store.ErrAgentFull)
	un, err := h.Desk.Unassign(t.Context(), conv.ID)
	require.NoError(t, err)
	require.Empty(t, un.AssigneeID)
	require.False(t, un.QueuedAt.IsZero())
	_, err = h.Desk.CreateAgent(t.Context(), store.Agent{ID: "bad id", Name: ""})
	require.ErrorIs(t, err, livedesk.ErrBadAgent)
}
