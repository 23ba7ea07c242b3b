package livedesk_test

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/hours"
	"github.com/livedesk/livedesk/livedesktest"
	"github.com/livedesk/livedesk/routing"
	"github.com/livedesk/livedesk/store"
	"github.com/livedesk/livedesk/store/memstore"
)

// crashingStore records inbound messages and then, once armed, fails
// every call processing makes until the test brings it back: the
// process "dies" between recording a message and acting on it.
type crashingStore struct {
	store.Store
	armed, down atomic.Bool
}

var errCrashed = errors.New("injected: the process died here")

func (s *crashingStore) RecordInbound(ctx context.Context, rec store.InboundRecord) (store.InboundResult, error) {
	res, err := s.Store.RecordInbound(ctx, rec)
	if err == nil && s.armed.Load() {
		s.down.Store(true)
	}
	return res, err
}

func (s *crashingStore) fail() error {
	if s.down.Load() {
		return errCrashed
	}
	return nil
}

func (s *crashingStore) ListAgents(ctx context.Context, ids []string) ([]store.Agent, error) {
	if err := s.fail(); err != nil {
		return nil, err
	}
	return s.Store.ListAgents(ctx, ids)
}

func (s *crashingStore) Cursor(ctx context.Context, key string) (string, error) {
	if err := s.fail(); err != nil {
		return "", err
	}
	return s.Store.Cursor(ctx, key)
}

func (s *crashingStore) ChangeOwner(ctx context.Context, c store.OwnerChange) (store.Conversation, error) {
	if err := s.fail(); err != nil {
		return store.Conversation{}, err
	}
	return s.Store.ChangeOwner(ctx, c)
}

func (s *crashingStore) RequestAITurn(ctx context.Context, conv, msg string, at time.Time) error {
	if err := s.fail(); err != nil {
		return err
	}
	return s.Store.RequestAITurn(ctx, conv, msg, at)
}

func (s *crashingStore) FinishInbound(ctx context.Context, id string, q []store.Message, at time.Time) ([]store.Message, error) {
	if err := s.fail(); err != nil {
		return nil, err
	}
	return s.Store.FinishInbound(ctx, id, q, at)
}

// decision is what processing a message decided, as the store shows it.
type decision struct {
	Owner       store.Owner
	Queued      bool
	QueueTarget routing.Target
	AITurn      bool
	Automatic   []string // kind: text of each outbound message, sorted
}

func decisionOf(t *testing.T, h *livedesktest.Harness, convID string) decision {
	t.Helper()
	c, err := h.Conversation(t.Context(), convID)
	require.NoError(t, err)
	d := decision{Owner: c.Owner(), Queued: !c.QueuedAt.IsZero(), QueueTarget: c.QueueTarget, AITurn: c.AITurnMessageID != ""}
	for _, m := range h.Messages(convID) {
		switch m.Direction {
		case store.Outbound:
			d.Automatic = append(d.Automatic, string(m.Kind)+": "+m.Text)
		case store.Inbound:
			require.True(t, m.Processed, "message %s processed", m.ID)
		}
	}
	slices.SortFunc(d.Automatic, cmp.Compare)
	return d
}

// liveSweepCase is one routing condition kind: a rule sending matching
// messages to agent "vip" (not a member of the channel, so only the rule
// gives it a conversation), and a message that matches it.
type liveSweepCase struct {
	name    string
	when    routing.Condition
	then    routing.Target // zero: agent "vip"
	channel func(*channel.Channel)
	// before runs first (a previous conversation, attributes...).
	before  func(t *testing.T, h *livedesktest.Harness, ch channel.Channel)
	msg     livedesktest.Message
	noMatch bool // the message does not match: the pool's queue takes it
}

// openNow is a schedule open at the harness's start (Monday 10:00 UTC).
var openNow = hours.BusinessHours{Enabled: true, TimeZone: "UTC", OutOfOfficeMessage: "We are closed.",
	Week: hours.Week{time.Monday: {"09:00-12:00"}}}

// closedNow is a schedule closed then.
var closedNow = hours.BusinessHours{Enabled: true, TimeZone: "UTC", OutOfOfficeMessage: "We are closed.",
	Week: hours.Week{time.Tuesday: {"09:00-12:00"}}}

// earlier has the customer write once and resolves that conversation.
func earlier(t *testing.T, h *livedesktest.Harness, ch channel.Channel) {
	h.Post(ch, livedesktest.Message{From: "+14155550100", Body: "first time"})
	c := h.RequireConversations(ch.ID, 1)[0]
	_, err := h.Resolve(t.Context(), c.ID)
	require.NoError(t, err)
	h.Clock.Advance(time.Minute)
}

var liveSweepCases = []liveSweepCase{
	{name: "text_contains_any", when: routing.Condition{TextContainsAny: []string{"refund"}}, msg: livedesktest.Message{Body: "I want a REFUND"}},
	{name: "text_contains_all", when: routing.Condition{TextContainsAll: []string{"order", "late"}}, msg: livedesktest.Message{Body: "my order is late"}},
	{name: "text_starts_with", when: routing.Condition{TextStartsWith: []string{"hi"}}, msg: livedesktest.Message{Body: "hi there"}},
	{name: "text_matches", when: routing.Condition{TextMatches: `\bA-\d+`}, msg: livedesktest.Message{Body: "order A-123"}},
	{name: "message_type", when: routing.Condition{MessageType: []string{"image"}},
		msg: livedesktest.Message{Media: []channel.Media{{URL: "https://api.twilio.com/media/ME1", ContentType: "image/jpeg"}}}},
	{name: "button_payload", when: routing.Condition{ButtonPayload: "vip"},
		msg: livedesktest.Message{Type: channel.TypeButton, ButtonText: "VIP", ButtonPayload: "vip"}},
	{name: "button_payload_prefix", when: routing.Condition{ButtonPayloadPrefix: "plan_"},
		msg: livedesktest.Message{Type: channel.TypeButton, ButtonText: "Gold", ButtonPayload: "plan_gold"}},
	{name: "country", when: routing.Condition{Country: []string{"FR"}}, msg: livedesktest.Message{From: "+33612345678", Body: "bonjour"}},
	{name: "phone_prefix", when: routing.Condition{PhonePrefix: []string{"+4479"}}, msg: livedesktest.Message{From: "+447911123456", Body: "hello"}},
	{name: "profile_name_contains", when: routing.Condition{ProfileNameContains: []string{"acme"}}, msg: livedesktest.Message{ProfileName: "Ana (ACME)", Body: "hello"}},
	{name: "attribute", when: routing.Condition{Attribute: &routing.AttributeCondition{Key: "plan", Equals: "gold"}},
		before: func(t *testing.T, h *livedesktest.Harness, ch channel.Channel) {
			earlier(t, h, ch)
			k, err := h.ContactByPhone(t.Context(), ch.ID, "+14155550100")
			require.NoError(t, err)
			_, err = h.UpdateContact(t.Context(), k.ID, livedesk.ContactUpdate{Attributes: map[string]string{"plan": "gold"}})
			require.NoError(t, err)
		}, msg: livedesktest.Message{Body: "hello again"}},
	{name: "business_hours open", when: routing.Condition{BusinessHours: routing.HoursOpen},
		channel: func(c *channel.Channel) { c.Settings.BusinessHours = openNow }, msg: livedesktest.Message{Body: "hello"}},
	{name: "business_hours closed", when: routing.Condition{BusinessHours: routing.HoursClosed},
		channel: func(c *channel.Channel) { c.Settings.BusinessHours = closedNow }, msg: livedesktest.Message{Body: "hello"}},
	{name: "contact new", when: routing.Condition{Contact: routing.ContactNew}, msg: livedesktest.Message{Body: "hello"}},
	{name: "contact new, not for a returning contact", when: routing.Condition{Contact: routing.ContactNew},
		before: earlier, msg: livedesktest.Message{Body: "hello again"}, noMatch: true},
	{name: "contact returning", when: routing.Condition{Contact: routing.ContactReturning},
		before: earlier, msg: livedesktest.Message{Body: "hello again"}},
	{name: "channel", when: routing.Condition{Channel: []string{"ch-live"}}, msg: livedesktest.Message{Body: "hello"}},
	{name: "all, any, not", when: routing.Condition{All: []routing.Condition{
		{Any: []routing.Condition{{TextContainsAny: []string{"invoice"}}, {Country: []string{"ES"}}}},
		{Not: &routing.Condition{Contact: routing.ContactReturning}},
	}}, msg: livedesktest.Message{Body: "where is my invoice"}},
	{name: "AI agent target", when: routing.Condition{TextContainsAny: []string{"bot"}}, then: routing.Target{AIAgent: "bot"},
		msg: livedesktest.Message{Body: "talk to the bot"}},
	{name: "team target", when: routing.Condition{TextContainsAny: []string{"billing"}}, then: routing.Target{Team: "billing"},
		msg: livedesktest.Message{Body: "billing question"}, noMatch: true}, // nobody of the channel is in the team: queued for it
	{name: "nothing matches", when: routing.Condition{TextContainsAny: []string{"zebra"}}, msg: livedesktest.Message{Body: "hello"}, noMatch: true},
}

// runLiveOrSwept posts c's message to a fresh desk and returns the
// decision; with crash, processing dies after the message is recorded and
// the sweep processes it two minutes later.
func runLiveOrSwept(t *testing.T, c liveSweepCase, newStore func(t *testing.T) store.Store, crash bool) decision {
	cs := &crashingStore{Store: newStore(t)}
	bot := scriptedAI(func(livedesk.AIRequest) (livedesk.AIResponse, error) { return livedesk.AIResponse{Text: "hi"}, nil })
	h, _ := newHarness(t, func(o *livedesk.Options) { o.Store = cs }, withAI("bot", bot))
	_, err := h.CreateAgent(t.Context(), store.Agent{ID: "vip", Name: "VIP desk", Status: store.AgentOnline})
	require.NoError(t, err)
	then := c.then
	if then == (routing.Target{}) {
		then = routing.Target{Agent: "vip"}
	}
	ch := h.AddChannel(greeting, func(ch *channel.Channel) {
		ch.ID = "ch-live"
		ch.Settings.Assignment.Rules = []routing.Rule{{Name: "case", When: c.when, Then: then}}
		if c.channel != nil {
			c.channel(ch)
		}
	})
	if c.before != nil {
		c.before(t, h, ch)
	}
	cs.armed.Store(crash)
	m := c.msg
	if m.From == "" {
		m.From = "+14155550100"
	}
	resp, body := h.Post(ch, m)
	livedesktest.RequireStatus(t, resp, body, 200)
	cs.down.Store(false)
	h.Clock.Advance(2 * time.Minute)
	n, err := h.Sweep(t.Context())
	require.NoError(t, err)
	if crash {
		require.Equal(t, 1, n, "the sweep processed the message")
	} else {
		require.Zero(t, n, "processed live")
	}
	k, err := h.ContactByPhone(t.Context(), ch.ID, m.From)
	require.NoError(t, err)
	convs, err := h.Desk.Conversations(t.Context(), store.ConversationFilter{ContactID: k.ID, Status: store.StatusOpen})
	require.NoError(t, err)
	require.Len(t, convs, 1)
	return decisionOf(t, h, convs[0].ID)
}

// TestLiveAndSweptDecideAlike processes the same message live and, after a
// crash between recording and processing, by the sweep: for every routing
// condition kind both make the same decision and queue the same automatic
// messages.
func TestLiveAndSweptDecideAlike(t *testing.T) {
	forEachStore(t, func(t *testing.T, newStore func(t *testing.T) store.Store) {
		for _, c := range liveSweepCases {
			t.Run(c.name, func(t *testing.T) {
				t.Parallel() // each case has its own desks and stores
				live := runLiveOrSwept(t, c, newStore, false)
				swept := runLiveOrSwept(t, c, newStore, true)
				require.Equal(t, live, swept, "live and swept decisions differ")
				switch {
				case c.then.AIAgent != "":
					require.Equal(t, store.Owner{AIAgentID: c.then.AIAgent}, live.Owner, "the rule matched")
					require.True(t, live.AITurn, "an AI turn is pending")
				case c.noMatch:
					require.True(t, live.Queued, "queued")
				default:
					require.Equal(t, store.Owner{AgentID: "vip"}, live.Owner, "the rule matched")
				}
			})
		}
	})
}

// forEachStore runs f on memstore and, when a test database is reachable
// (always under CI), on pgstore.
func forEachStore(t *testing.T, f func(t *testing.T, newStore func(t *testing.T) store.Store)) {
	t.Run("memstore", func(t *testing.T) {
		f(t, func(*testing.T) store.Store { return memstore.New() })
	})
	t.Run("pgstore", func(t *testing.T) {
		f(t, newPGStore)
	})
}
