package livedesk_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/hours"
	"github.com/livedesk/livedesk/livedesktest"
	"github.com/livedesk/livedesk/store"
)

var paris = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic(err)
	}
	return loc
}()

// officeHours: Monday to Friday 09:00-18:00 in Paris.
func officeHours(c *channel.Channel) {
	week := hours.Week{}
	for d := time.Monday; d <= time.Friday; d++ {
		week[d] = []hours.Range{"09:00-18:00"}
	}
	c.Settings.BusinessHours = hours.BusinessHours{Enabled: true, TimeZone: "Europe/Paris", Week: week,
		OutOfOfficeMessage: "We're closed. Back {{next_open}}."}
}

func at(h *livedesktest.Harness, day, hour, minute int) {
	h.Clock.Set(time.Date(2026, time.March, day, hour, minute, 0, 0, paris)) // March 2, 2026 is a Monday
}

func TestOutOfOffice(t *testing.T) {
	t.Run("once per closed period, after the greeting, saying when the team is back", func(t *testing.T) {
		h, _ := newHarness(t)
		ch := h.AddChannel(greeting, officeHours)
		at(h, 2, 20, 30) // Monday evening
		h.Post(ch, livedesktest.Message{Body: "anyone?"})
		at(h, 2, 23, 0)
		h.Post(ch, livedesktest.Message{Body: "hello?"})
		at(h, 3, 7, 0) // Tuesday early morning: same closed period
		h.Post(ch, livedesktest.Message{Body: "still nobody"})
		conv := h.RequireConversations(ch.ID, 1)[0]
		ooo := h.RequireQueued(conv.ID, store.KindOutOfOffice, 1)[0]
		require.Equal(t, "We're closed. Back 2026-03-03 09:00 (Europe/Paris).", ooo.Text)
		msgs := h.MustMessages(conv.ID)
		require.Equal(t, store.KindGreeting, msgs[1].Kind, "greeting first")
		require.Equal(t, store.KindOutOfOffice, msgs[2].Kind, "then out-of-office")
	})
	t.Run("again in the next closed period", func(t *testing.T) {
		h, _ := newHarness(t)
		ch := h.AddChannel(officeHours)
		at(h, 2, 20, 30)
		h.Post(ch, livedesktest.Message{Body: "Monday night"})
		at(h, 3, 10, 0) // open: nothing
		h.Post(ch, livedesktest.Message{Body: "Tuesday morning"})
		at(h, 3, 19, 0) // closed again
		h.Post(ch, livedesktest.Message{Body: "Tuesday night"})
		conv := h.RequireConversations(ch.ID, 1)[0]
		ooo := h.RequireQueued(conv.ID, store.KindOutOfOffice, 2)
		require.Equal(t, "We're closed. Back 2026-03-04 09:00 (Europe/Paris).", ooo[1].Text)
		require.NotEqual(t, ooo[0].Key, ooo[1].Key)
	})
	t.Run("not when an agent replied in the last 5 minutes", func(t *testing.T) {
		h, _ := newHarness(t)
		ch := h.AddChannel(officeHours)
		at(h, 2, 17, 50)
		h.Post(ch, livedesktest.Message{Body: "quick question"})
		conv := h.RequireConversations(ch.ID, 1)[0]
		at(h, 2, 17, 58)
		_, err := h.Desk.Reply(t.Context(), conv.ID, "agent-1", "sure, go ahead")
		require.NoError(t, err)
		at(h, 2, 18, 2) // closed, but the chat is live
		h.Post(ch, livedesktest.Message{Body: "thanks, one more thing"})
		h.RequireQueued(conv.ID, store.KindOutOfOffice, 0)
		at(h, 2, 18, 10) // the agent has been silent for 12 minutes
		h.Post(ch, livedesktest.Message{Body: "hello?"})
		h.RequireQueued(conv.ID, store.KindOutOfOffice, 1)
	})
	t.Run("nothing while open, nothing when disabled", func(t *testing.T) {
		h, _ := newHarness(t)
		open := h.AddChannel(officeHours)
		off := h.AddChannel(officeHours, func(c *channel.Channel) { c.Settings.BusinessHours.Enabled = false })
		at(h, 2, 10, 0)
		h.Post(open, livedesktest.Message{Body: "hi"})
		at(h, 7, 12, 0) // Saturday
		h.Post(off, livedesktest.Message{Body: "hi"})
		h.RequireQueued(h.RequireConversations(open.ID, 1)[0].ID, store.KindOutOfOffice, 0)
		h.RequireQueued(h.RequireConversations(off.ID, 1)[0].ID, store.KindOutOfOffice, 0)
	})
	t.Run("the sweep judges the message's own time, and skips it once open", func(t *testing.T) {
		h, _ := newHarness(t)
		ch := h.AddChannel(officeHours)
		record := func(from string) {
			_, err := h.Store.RecordInbound(t.Context(), store.InboundRecord{ChannelID: ch.ID, ReceivedAt: h.Clock.Now(),
				Message: channel.Inbound{MessageSID: livedesktest.NewSID(), AccountSID: ch.Twilio.AccountSID,
					From: "whatsapp:" + from, To: "whatsapp:+14155238886", Body: "late"}})
			require.NoError(t, err)
		}
		at(h, 2, 20, 30)
		record("+14155550100")
		at(h, 2, 23, 0) // the process comes back the same night
		n, err := h.Desk.Sweep(t.Context())
		require.NoError(t, err)
		require.Equal(t, 1, n)
		ooo := h.RequireQueued(h.RequireConversations(ch.ID, 1)[0].ID, store.KindOutOfOffice, 1)[0]
		require.Equal(t, "We're closed. Back 2026-03-03 09:00 (Europe/Paris).", ooo.Text)

		record("+14155550101")
		at(h, 3, 10, 0) // this time it comes back when the team is in
		n, err = h.Desk.Sweep(t.Context())
		require.NoError(t, err)
		require.Equal(t, 1, n)
		h.RequireQueued(h.RequireConversations(ch.ID, 2)[1].ID, store.KindOutOfOffice, 0)
	})
}
