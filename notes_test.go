package livedesk_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/livedesktest"
	"github.com/livedesk/livedesk/store"
)

// A note is part of the timeline but never sent: no outbox row, no
// request to Twilio (the reply queued after it is the only one), no
// agent-reply time, no UpdatedAt move; note.added is emitted.
func TestNoteIsNeverSent(t *testing.T) {
	h, _ := newHarness(t)
	ch := h.AddChannel()
	_, err := h.CreateAgent(t.Context(), store.Agent{ID: "bea", Name: "Bea", Capacity: 5, Status: store.AgentOnline})
	require.NoError(t, err)
	resp, body := h.Post(ch, livedesktest.Message{Body: "Where is my order?"})
	livedesktest.RequireStatus(t, resp, body, 200)
	conv := h.RequireConversations(ch.ID, 1)[0]

	note, err := h.AddNote(t.Context(), conv.ID, livedesk.Note{AgentID: "bea", Text: "Reseller account, ship first"})
	require.NoError(t, err)
	require.Equal(t, store.Internal, note.Direction)
	require.Equal(t, store.KindNote, note.Kind)
	require.Equal(t, "bea", note.AuthorID)
	added := h.WaitEvents(livedesk.EventNoteAdded, 1)
	require.Equal(t, note.ID, added[0].MessageID)
	require.Equal(t, "bea", added[0].AgentID)

	// Nothing to claim: the note is not in the outbox.
	claims, err := h.Store.ClaimOutbound(t.Context(), h.Clock.Now().Add(24*time.Hour), time.Minute, 10)
	require.NoError(t, err)
	require.Empty(t, claims, "outbox rows")
	require.Empty(t, h.Outbound(conv.ID, ""), "outbound messages")
	after, err := h.Conversation(t.Context(), conv.ID)
	require.NoError(t, err)
	require.True(t, after.LastAgentReplyAt.IsZero(), "a note is not an agent reply")
	require.Equal(t, conv.UpdatedAt, after.UpdatedAt)

	// Run the outbox with the note and a reply behind it: only the reply
	// reaches Twilio.
	_, err = h.Reply(t.Context(), conv.ID, "bea", "It ships today.")
	require.NoError(t, err)
	h.Start()
	h.WaitEvents(livedesk.EventMessageSent, 1)
	sent := h.Twilio.Sent()
	require.Len(t, sent, 1)
	require.Equal(t, "It ships today.", sent[0].Body)
	require.Equal(t, 1, h.Twilio.Requests(), "requests to Twilio")

	page, err := h.QueryMessages(t.Context(), conv.ID, store.MessageQuery{})
	require.NoError(t, err)
	kinds := []store.Kind{}
	for _, m := range page.Messages {
		kinds = append(kinds, m.Kind)
	}
	require.Equal(t, []store.Kind{store.KindCustomer, store.KindNote, store.KindReply}, kinds, "timeline")
}

// Bad notes and labels are refused with ErrInvalid (or ErrNotFound) and
// change nothing; label changes emit events once.
func TestNotesAndLabelsInput(t *testing.T) {
	h, _ := newHarness(t)
	ch := h.AddChannel()
	_, err := h.CreateAgent(t.Context(), store.Agent{ID: "bea", Name: "Bea", Capacity: 5, Status: store.AgentOnline})
	require.NoError(t, err)
	h.Post(ch, livedesktest.Message{Body: "Hi"})
	conv := h.RequireConversations(ch.ID, 1)[0]
	ctx := t.Context()

	for name, c := range map[string]struct {
		conv string
		note livedesk.Note
		want error
	}{
		"empty text":     {conv.ID, livedesk.Note{AgentID: "bea", Text: " "}, livedesk.ErrInvalid},
		"no author":      {conv.ID, livedesk.Note{Text: "x"}, livedesk.ErrInvalid},
		"unknown author": {conv.ID, livedesk.Note{AgentID: "zed", Text: "x"}, livedesk.ErrNotFound},
		"unknown conv":   {"nope", livedesk.Note{AgentID: "bea", Text: "x"}, livedesk.ErrNotFound},
	} {
		_, err := h.AddNote(ctx, c.conv, c.note)
		require.ErrorIs(t, err, c.want, name)
	}
	require.Len(t, h.Messages(conv.ID), 1, "no note added")
	require.Zero(t, h.CountEvents(livedesk.EventNoteAdded))

	require.ErrorIs(t, h.AddLabel(ctx, conv.ID, "Urgent"), livedesk.ErrInvalid)
	require.ErrorIs(t, h.AddLabel(ctx, "nope", "urgent"), livedesk.ErrNotFound)
	require.NoError(t, h.AddLabel(ctx, conv.ID, "urgent"))
	require.NoError(t, h.AddLabel(ctx, conv.ID, "urgent"))
	require.Equal(t, 1, h.CountEvents(livedesk.EventLabeled), "labeled once")
	ls, err := h.Labels(ctx, conv.ID)
	require.NoError(t, err)
	require.Equal(t, []string{"urgent"}, ls)
	page, err := h.QueryConversations(ctx, store.ConversationQuery{Label: "urgent"})
	require.NoError(t, err)
	require.Len(t, page.Conversations, 1)
	require.NoError(t, h.RemoveLabel(ctx, conv.ID, "urgent"))
	require.NoError(t, h.RemoveLabel(ctx, conv.ID, "urgent"))
	require.Equal(t, 1, h.CountEvents(livedesk.EventUnlabeled), "unlabeled once")
	e := h.WaitEvents(livedesk.EventUnlabeled, 1)[0]
	require.Equal(t, "urgent", e.Label)
	require.Equal(t, conv.ID, e.ConversationID)

	_, err = h.QueryConversations(ctx, store.ConversationQuery{Limit: -1})
	require.True(t, errors.Is(err, livedesk.ErrInvalid), "bad query: %v", err)
}
