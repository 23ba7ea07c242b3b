package livedesk_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/csat"
	"github.com/livedesk/livedesk/livedesktest"
	"github.com/livedesk/livedesk/store"
)

// The whole path of a support conversation: create a channel and mount
// the desk's handler, route a customer's message to an agent, reply,
// resolve with a CSAT survey, and read the report. Twilio's REST API is a
// fake on loopback (livedesktest.StartTwilioAPI); the customer's messages
// are posted signed, as Twilio posts them.
func Example() {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	twilioAPI := livedesktest.StartTwilioAPI()
	defer twilioAPI.Close()

	sent := make(chan livedesk.Event, 8) // Twilio accepted a message
	desk, err := livedesk.New(livedesk.Options{
		PublicURL: "https://support.example.com/livedesk",
		Messenger: twilioAPI.Messenger(), // nil in production: Twilio's REST API
		OnEvent: func(_ context.Context, e livedesk.Event) {
			if e.Type == livedesk.EventMessageSent {
				sent <- e
			}
		},
	})
	if err != nil {
		panic(err)
	}

	// 1. A channel (checked with Twilio) and the handler mounted.
	config := channel.Channel{
		ID:   "support",
		Name: "Support",
		Twilio: channel.Twilio{
			AccountSID:  "AC0123456789abcdef0123456789abcdef",
			AuthToken:   "0123456789abcdef0123456789abcdef",
			PhoneNumber: "+14155550123",
		},
		Settings: channel.Settings{
			Greeting: channel.Greeting{Enabled: true, Text: "Hi! An agent will be with you shortly."},
			CSAT:     csat.Config{Enabled: true, SurveyText: "How did we do? Reply 1 to 5."},
		},
	}
	twilioAPI.Register(config) // the fake knows these credentials, as Twilio would
	ch, err := desk.CreateChannel(ctx, config)
	if err != nil {
		panic(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/livedesk/", desk.Handler())
	server := httptest.NewServer(mux) // your server; Twilio posts to desk.WebhookURL(ch.ID)
	defer server.Close()
	go func() { _ = desk.Run(ctx) }() // sends, retries, assignment
	fmt.Println("webhook:", desk.WebhookURL(ch.ID))

	// 2. An agent serves the channel; a customer writes and is routed to her.
	_, _ = desk.CreateAgent(ctx, store.Agent{ID: "bea", Name: "Bea", Status: store.AgentOnline})
	_ = desk.AddAgent(ctx, ch.ID, "bea")
	customer := func(body string) {
		form := livedesktest.Message{From: "+14155550100", Body: body}.Form(ch)
		target, _ := url.JoinPath(server.URL, "/livedesk/twilio", ch.ID)
		resp, err := server.Client().Do(livedesktest.NewRequest(ch, desk.WebhookURL(ch.ID), target, form))
		if err != nil {
			panic(err)
		}
		resp.Body.Close()
		fmt.Printf("customer: %q -> %d\n", body, resp.StatusCode)
	}
	phone := func() { // what Twilio was asked to deliver to the customer's phone
		e := <-sent
		all := twilioAPI.Sent()
		fmt.Printf("phone: %s %q\n", e.Kind, all[len(all)-1].Body)
	}
	customer("Where is my parcel?")
	phone()
	convs, _ := desk.Conversations(ctx, store.ConversationFilter{ChannelID: ch.ID})
	conv := convs[0]
	fmt.Println("assigned to:", conv.AssigneeID)

	// 3. Bea replies, then resolves: the survey goes out.
	_, _ = desk.Reply(ctx, conv.ID, "bea", "It left our warehouse this morning.")
	phone()
	_, _ = desk.Resolve(ctx, conv.ID)
	phone()

	// 4. The customer answers; the report counts it.
	customer("5")
	phone()
	report, _ := desk.CSATReport(ctx, livedesk.ReportRequest{Filter: csat.Filter{ChannelID: ch.ID}})
	fmt.Printf("report: %d sent, %d answered, average %.1f, CSAT %.0f%%\n",
		report.Total.Sent, report.Total.Responses, report.Total.Average(), 100*report.Total.CSAT())
	// Output:
	// webhook: https://support.example.com/livedesk/twilio/support
	// customer: "Where is my parcel?" -> 200
	// phone: greeting "Hi! An agent will be with you shortly."
	// assigned to: bea
	// phone: reply "It left our warehouse this morning."
	// phone: csat_survey "How did we do? Reply 1 to 5."
	// customer: "5" -> 200
	// phone: csat_reply "Thank you for your feedback!"
	// report: 1 sent, 1 answered, average 5.0, CSAT 100%
}
