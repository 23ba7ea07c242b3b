package livedesk_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/csat"
	"github.com/livedesk/livedesk/livedesktest"
	"github.com/livedesk/livedesk/store"
)

const (
	listSID     = "HX11111111111111111111111111111111"
	templateSID = "HX22222222222222222222222222222222"
)

func withCSAT(mod ...func(*csat.Config)) func(*channel.Channel) {
	return func(c *channel.Channel) {
		c.Settings.CSAT = csat.Config{Enabled: true}
		for _, f := range mod {
			f(&c.Settings.CSAT)
		}
	}
}

// resolved opens a conversation with Ana, lets agent a0 answer and
// resolves it; it returns the conversation and its survey.
func resolved(t *testing.T, h *livedesktest.Harness, ch channel.Channel) (store.Conversation, store.Survey) {
	t.Helper()
	h.Post(ch, livedesktest.Message{From: "+14155550100", Body: "my parcel is late"})
	conv := convOf(t, h, ch, "+14155550100")
	require.Equal(t, "a0", conv.AssigneeID)
	_, err := h.Reply(t.Context(), conv.ID, "a0", "It arrives tomorrow.")
	require.NoError(t, err)
	_, err = h.Resolve(t.Context(), conv.ID)
	require.NoError(t, err)
	surveys, err := h.Store.ListSurveys(t.Context(), store.SurveyFilter{ChannelID: ch.ID})
	require.NoError(t, err)
	require.NotEmpty(t, surveys)
	return conv, surveys[len(surveys)-1]
}

func TestSurveySentOncePerResolution(t *testing.T) {
	h, _ := newHarness(t)
	ch := h.AddChannel(withCSAT())
	addAgents(t, h, ch, 1, 5)
	conv, s := resolved(t, h, ch)
	require.Equal(t, "a0", s.AgentID, "attributed to the agent at resolution")
	require.Equal(t, 1, s.Resolution)
	msg := h.RequireQueued(conv.ID, store.KindSurvey, 1)[0]
	require.Equal(t, "csat:"+conv.ID+":1", msg.Key)
	require.Equal(t, csat.DefaultSurveyText, msg.Text)
	_, err := h.Resolve(t.Context(), conv.ID)
	require.ErrorIs(t, err, livedesk.ErrNotOpen, "a second resolve does nothing")
	h.RequireQueued(conv.ID, store.KindSurvey, 1)
	a, err := h.Agent(t.Context(), "a0")
	require.NoError(t, err)
	require.Zero(t, a.Open, "resolving frees the agent")

	// Reopened and resolved again: a new survey.
	_, err = h.Reopen(t.Context(), conv.ID)
	require.NoError(t, err)
	h.Start()
	h.WaitEvents(livedesk.EventAssigned, 2)
	_, err = h.Resolve(t.Context(), conv.ID)
	require.NoError(t, err)
	surveys := h.RequireQueued(conv.ID, store.KindSurvey, 2)
	require.Equal(t, "csat:"+conv.ID+":2", surveys[1].Key)
}

func TestSurveyAnswers(t *testing.T) {
	setup := func(t *testing.T, mods ...func(*csat.Config)) (*livedesktest.Harness, channel.Channel, store.Conversation, store.Survey) {
		h, _ := newHarness(t)
		ch := h.AddChannel(withCSAT(mods...))
		addAgents(t, h, ch, 1, 5)
		conv, s := resolved(t, h, ch)
		return h, ch, conv, s
	}
	survey := func(t *testing.T, h *livedesktest.Harness, id string) store.Survey {
		s, err := h.Store.Survey(t.Context(), id)
		require.NoError(t, err)
		return s
	}
	t.Run("by text, with the thank-you, no new conversation", func(t *testing.T) {
		h, ch, conv, s := setup(t)
		h.Post(ch, livedesktest.Message{From: "+14155550100", Body: "5 ⭐"})
		got := survey(t, h, s.ID)
		require.Equal(t, 5, got.Rating)
		require.True(t, got.Closed)
		h.RequireConversations(ch.ID, 1)
		thanks := h.RequireQueued(conv.ID, store.KindSurveyReply, 1)[0]
		require.Equal(t, csat.DefaultThankYouText, thanks.Text)
		ev := h.WaitEvents(livedesk.EventSurveyAnswered, 1)[0]
		require.Equal(t, 5, ev.Rating)
		require.Equal(t, "a0", ev.AgentID)
	})
	t.Run("by button payload", func(t *testing.T) {
		h, ch, _, s := setup(t, func(c *csat.Config) { c.ListContentSID = listSID })
		h.Post(ch, livedesktest.Message{From: "+14155550100", Type: channel.TypeInteractive, Body: "Good", ButtonText: "Good",
			ButtonPayload: csat.Payload(s.ID, 4)})
		require.Equal(t, 4, survey(t, h, s.ID).Rating)
	})
	t.Run("with a comment", func(t *testing.T) {
		h, ch, conv, s := setup(t, func(c *csat.Config) { c.CommentRequest = "Anything we could do better?" })
		h.Post(ch, livedesktest.Message{From: "+14155550100", Body: "4"})
		require.Equal(t, "Anything we could do better?", h.RequireQueued(conv.ID, store.KindSurveyReply, 1)[0].Text)
		h.Post(ch, livedesktest.Message{From: "+14155550100", Body: "Faster delivery please"})
		got := survey(t, h, s.ID)
		require.Equal(t, 4, got.Rating)
		require.Equal(t, "Faster delivery please", got.Comment)
		require.True(t, got.Closed)
		replies := h.RequireQueued(conv.ID, store.KindSurveyReply, 2)
		require.Equal(t, csat.DefaultThankYouText, replies[1].Text)
		h.RequireConversations(ch.ID, 1)
		h.Post(ch, livedesktest.Message{From: "+14155550100", Body: "5"}) // a later rating is a new conversation
		require.Equal(t, 4, survey(t, h, s.ID).Rating, "first rating counts")
		h.RequireConversations(ch.ID, 2)
	})
	t.Run("a non-rating opens a new conversation and closes the survey", func(t *testing.T) {
		h, ch, _, s := setup(t)
		h.Post(ch, livedesktest.Message{From: "+14155550100", Body: "5 minutes late again!"})
		h.RequireConversations(ch.ID, 2)
		got := survey(t, h, s.ID)
		require.Zero(t, got.Rating)
		require.True(t, got.Closed)
	})
	t.Run("a greeting with a smile is not a rating: it opens a conversation", func(t *testing.T) {
		h, ch, _, s := setup(t)
		h.Post(ch, livedesktest.Message{From: "+14155550100", Body: "Hola 😀"})
		h.RequireConversations(ch.ID, 2)
		got := survey(t, h, s.ID)
		require.Zero(t, got.Rating)
		require.True(t, got.Closed)
	})
	t.Run("nota N with thanks is a rating", func(t *testing.T) {
		h, ch, _, s := setup(t)
		h.Post(ch, livedesktest.Message{From: "+14155550100", Body: "Nota 5, muito obrigada"})
		got := survey(t, h, s.ID)
		require.Equal(t, 5, got.Rating)
		require.Equal(t, string(csat.MethodDigit), got.RatingMethod)
		h.RequireConversations(ch.ID, 1)
	})
	t.Run("after expiry: not counted", func(t *testing.T) {
		h, ch, _, s := setup(t)
		h.Clock.Advance(25 * time.Hour)
		h.Post(ch, livedesktest.Message{From: "+14155550100", Body: "5"})
		require.Zero(t, survey(t, h, s.ID).Rating)
		h.RequireConversations(ch.ID, 2)
	})
	t.Run("from another contact: not counted", func(t *testing.T) {
		h, ch, _, s := setup(t)
		h.Post(ch, livedesktest.Message{From: "+14155550199", Body: "5"})
		require.Zero(t, survey(t, h, s.ID).Rating)
		h.RequireConversations(ch.ID, 2)
	})
}

func TestSurveyAttributionSurvivesReassignment(t *testing.T) {
	h, _ := newHarness(t)
	ch := h.AddChannel(withCSAT())
	addAgents(t, h, ch, 2, 5)
	conv, s := resolved(t, h, ch)
	_, err := h.Reopen(t.Context(), conv.ID)
	require.NoError(t, err)
	_, err = h.Assign(t.Context(), conv.ID, "a1")
	require.NoError(t, err)
	h.Post(ch, livedesktest.Message{From: "+14155550100", Body: "3"})
	got, err := h.Store.Survey(t.Context(), s.ID)
	require.NoError(t, err)
	require.Equal(t, "a0", got.AgentID)
	require.Equal(t, 3, got.Rating)
}

func TestSurveyOutsideTheWindow(t *testing.T) {
	t.Run("the approved template is used", func(t *testing.T) {
		h, _ := newHarness(t)
		ch := h.AddChannel(withCSAT(func(c *csat.Config) { c.ListContentSID, c.TemplateContentSID = listSID, templateSID }))
		addAgents(t, h, ch, 1, 5)
		h.Post(ch, livedesktest.Message{From: "+14155550100", Body: "hi"})
		conv := convOf(t, h, ch, "+14155550100")
		h.Clock.Advance(30 * time.Hour)
		_, err := h.Resolve(t.Context(), conv.ID)
		require.NoError(t, err)
		m := h.RequireQueued(conv.ID, store.KindSurvey, 1)[0]
		require.Equal(t, templateSID, m.ContentSID)
		h.Start()
		h.WaitEvents(livedesk.EventMessageSent, 1)
		sent := h.Twilio.Sent()[0]
		require.Equal(t, templateSID, sent.ContentSID)
		s, err := h.Store.ListSurveys(t.Context(), store.SurveyFilter{})
		require.NoError(t, err)
		require.JSONEq(t, `{"1":"`+s[0].ID+`"}`, sent.ContentVariables)
	})
	t.Run("without a template: recorded as not sent, with the reason", func(t *testing.T) {
		h, _ := newHarness(t)
		ch := h.AddChannel(withCSAT())
		addAgents(t, h, ch, 1, 5)
		h.Post(ch, livedesktest.Message{From: "+14155550100", Body: "hi"})
		conv := convOf(t, h, ch, "+14155550100")
		h.Clock.Advance(30 * time.Hour)
		_, err := h.Resolve(t.Context(), conv.ID)
		require.NoError(t, err)
		h.RequireQueued(conv.ID, store.KindSurvey, 0)
		ev := h.WaitEvents(livedesk.EventSurveyNotSent, 1)[0]
		require.Contains(t, ev.Reason, "24-hour window")
		rep, err := h.CSATReport(t.Context(), livedesk.ReportRequest{})
		require.NoError(t, err)
		require.Zero(t, rep.Total.Sent, "a survey not sent is not counted")
	})
}

func TestSurveyTriggers(t *testing.T) {
	h, _ := newHarness(t)
	ch := h.AddChannel(withCSAT(func(c *csat.Config) { c.Trigger = csat.TriggerAfterReply }))
	addAgents(t, h, ch, 1, 5)
	h.Post(ch, livedesktest.Message{From: "+14155550100", Body: "never mind"})
	conv := convOf(t, h, ch, "+14155550100")
	_, err := h.Resolve(t.Context(), conv.ID)
	require.NoError(t, err)
	h.RequireQueued(conv.ID, store.KindSurvey, 0) // nobody answered
	h.Post(ch, livedesktest.Message{From: "+14155550101", Body: "help"})
	other := convOf(t, h, ch, "+14155550101")
	_, err = h.Reply(t.Context(), other.ID, "a0", "sure")
	require.NoError(t, err)
	_, err = h.ResolveWith(t.Context(), other.ID, livedesk.ResolveOptions{NoSurvey: true})
	require.NoError(t, err)
	h.RequireQueued(other.ID, store.KindSurvey, 0)
}

func TestCSATReportThroughTheDesk(t *testing.T) {
	h, _ := newHarness(t)
	ch := h.AddChannel(withCSAT())
	addAgents(t, h, ch, 2, 50)
	ratings := []string{"5", "5", "4", "3", "1", "", "", "", "", ""}
	for i, r := range ratings {
		from := "+1415556" + string(rune('0'+i)) + "000"
		h.Post(ch, livedesktest.Message{From: from, Body: "hi"})
		conv := convOf(t, h, ch, from)
		_, err := h.Reply(t.Context(), conv.ID, conv.AssigneeID, "hello")
		require.NoError(t, err)
		_, err = h.Resolve(t.Context(), conv.ID)
		require.NoError(t, err)
		if r != "" {
			h.Post(ch, livedesktest.Message{From: from, Body: r})
		}
	}
	rep, err := h.CSATReport(t.Context(), livedesk.ReportRequest{Filter: csat.Filter{ChannelID: ch.ID}, Period: csat.PeriodDay})
	require.NoError(t, err)
	require.Equal(t, 10, rep.Total.Sent)
	require.Equal(t, 5, rep.Total.Responses)
	require.InDelta(t, 3.6, rep.Total.Average(), 1e-9)
	require.InDelta(t, 0.5, rep.Total.ResponseRate(), 1e-9)
	require.InDelta(t, 0.6, rep.Total.CSAT(), 1e-9)
	require.Equal(t, [5]int{1, 0, 1, 1, 2}, rep.Total.Counts)
	require.Len(t, rep.ByAgent, 2)
	require.Equal(t, 10, rep.ByAgent["a0"].Sent+rep.ByAgent["a1"].Sent)
	require.Len(t, rep.ByPeriod, 1)
}

func TestRunExpiresSurveys(t *testing.T) {
	h, _ := newHarness(t)
	ch := h.AddChannel(withCSAT(func(c *csat.Config) { c.Lifetime = csat.Duration(time.Hour) }))
	addAgents(t, h, ch, 1, 5)
	_, s := resolved(t, h, ch)
	h.Start()
	for range 4 { // the sweep (with the expiry) runs every 30 s of clock time
		h.Clock.BlockUntil(1)
		h.Clock.Advance(30 * time.Minute)
	}
	h.Clock.BlockUntil(1)
	got, err := h.Store.Survey(t.Context(), s.ID)
	require.NoError(t, err)
	require.True(t, got.Closed)
}
