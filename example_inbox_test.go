package livedesk_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"time"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/livedesktest"
	"github.com/livedesk/livedesk/store"
)

// An inbox lists conversations a page at a time, newest activity first,
// filters them by label or text, and reads a timeline that holds the
// team's internal notes next to the customer's messages.
func Example_inbox() {
	ctx := context.Background()
	clock := livedesktest.NewClock(livedesktest.DefaultTime)
	desk, _ := livedesk.New(livedesk.Options{PublicURL: livedesktest.PublicURL, Clock: clock})
	ch, _ := desk.CreateChannel(ctx, livedesktest.TestChannel())
	_, _ = desk.CreateAgent(ctx, store.Agent{ID: "bea", Name: "Bea", Capacity: 5, Status: store.AgentOnline})
	for i, body := range []string{"Where is my order?", "I want a refund", "Hello", "Refund for order 7"} {
		m := livedesktest.Message{From: fmt.Sprintf("+1415555010%d", i), Body: body}
		desk.Handler().ServeHTTP(httptest.NewRecorder(), livedesktest.NewRequest(ch, desk.WebhookURL(ch.ID), "", m.Form(ch)))
		clock.Advance(time.Minute)
	}

	q := store.ConversationQuery{ChannelID: ch.ID, Limit: 3}
	for page := 1; ; page++ {
		p, _ := desk.QueryConversations(ctx, q)
		fmt.Println("page", page, "conversations:", len(p.Conversations))
		if p.Next == "" {
			break
		}
		q.Cursor = p.Next
	}

	refunds, _ := desk.QueryConversations(ctx, store.ConversationQuery{Text: "REFUND"})
	for _, c := range refunds.Conversations {
		_ = desk.AddLabel(ctx, c.ID, "billing")
	}
	billing, _ := desk.QueryConversations(ctx, store.ConversationQuery{Label: "billing"})
	fmt.Println("labelled billing:", len(billing.Conversations), billing.Conversations[0].Labels)

	conv := billing.Conversations[0]
	_, _ = desk.AddNote(ctx, conv.ID, livedesk.Note{AgentID: "bea", Text: "Refund approved, wait for the carrier"})
	timeline, _ := desk.QueryMessages(ctx, conv.ID, store.MessageQuery{})
	for _, m := range timeline.Messages {
		fmt.Println(m.Direction, m.Kind, m.Text)
	}
	// Output:
	// page 1 conversations: 3
	// page 2 conversations: 1
	// labelled billing: 2 [billing]
	// in customer Refund for order 7
	// internal note Refund approved, wait for the carrier
}
