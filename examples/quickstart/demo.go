package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/hours"
	"github.com/livedesk/livedesk/livedesktest"
	"github.com/livedesk/livedesk/store"
)

// demoStart is the demo's clock: a Monday at 10:00 in Paris. The demo's time
// only moves when the script says so.
var demoStart = time.Date(2026, time.March, 2, 10, 0, 0, 0, mustZone("Europe/Paris"))

// demo runs the scripted flow against a desk served on loopback, sending
// through a fake Twilio API also on loopback.
func demo(ctx context.Context, out io.Writer) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	twilioAPI := livedesktest.StartTwilioAPI()
	defer twilioAPI.Close()
	clock := livedesktest.NewClock(demoStart)
	twilioAPI.SetClock(clock.Now)

	publicURL := "http://" + ln.Addr().String() + "/livedesk"
	tr := newTranscript(out)
	desk, err := livedesk.New(livedesk.Options{PublicURL: publicURL, OnEvent: tr.onEvent, Clock: clock,
		Messenger: twilioAPI.Messenger()})
	if err != nil {
		return err
	}
	tr.desk = desk
	mux := http.NewServeMux()
	mux.Handle("/livedesk/", desk.Handler())
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	runCtx, stopRun := context.WithCancel(ctx)
	runDone := make(chan struct{})
	go func() { _ = desk.Run(runCtx); close(runDone) }()
	defer func() { stopRun(); <-runDone }()

	ch, err := desk.CreateChannel(ctx, demoChannel())
	if err != nil {
		return err
	}
	twilioAPI.SetAuthToken(ch.Twilio.AccountSID, ch.Twilio.AuthToken)
	tr.say("LiveDesk quickstart (in-memory store, a fake Twilio API on loopback, no Twilio account needed)")
	tr.say("channel %q created; its webhook URL (paste into Twilio): %s", ch.Name, desk.WebhookURL(ch.ID))
	tr.say("business hours: Mon-Fri 09:00-18:00 Europe/Paris; it is %s", clock.Now().Format("Mon 15:04 MST"))

	c := &customer{ch: ch, desk: desk, client: &http.Client{Timeout: 10 * time.Second}, tr: tr, api: twilioAPI}
	ana := livedesktest.Message{SID: livedesktest.NewSID(), From: "+14155550100", ProfileName: "Ana", Body: "Hello, I need help with order #123"}
	for i, s := range c.script(ctx, clock, ana) {
		tr.say("\n%d. %s", i+1, s.title)
		if err := s.run(); err != nil {
			return fmt.Errorf("step %d (%s): %w", i+1, s.title, err)
		}
	}
	return tr.summary(ctx, ch.ID)
}

type step struct {
	title string
	run   func() error
}

// script is the demo's story; each step posts webhooks or acts as an agent
// and waits for the desk to finish what it triggers.
func (c *customer) script(ctx context.Context, clock *livedesktest.Clock, ana livedesktest.Message) []step {
	var conv string
	return []step{
		{"Ana writes for the first time", func() error {
			if err := c.post(ana, 200); err != nil {
				return err
			}
			return c.tr.waitSent(1)
		}},
		{"Twilio retries the same delivery (same MessageSid)", func() error { return c.post(ana, 200) }},
		{"Twilio reports the greeting delivered, then read", func() error {
			return c.statuses(c.api.Sent()[0], "delivered", "read")
		}},
		{"agent Marie replies", func() error {
			convs, err := c.desk.Conversations(ctx, store.ConversationFilter{ChannelID: c.ch.ID})
			if err != nil {
				return err
			}
			conv = convs[0].ID
			if _, err := c.desk.Reply(ctx, conv, "marie", "Hi Ana, I'm Marie. Let me check order #123."); err != nil {
				return err
			}
			return c.tr.waitSent(2)
		}},
		{"someone forges a request without the Auth Token", func() error {
			forged := c.ch
			forged.Twilio.AuthToken = "11111111111111111111111111111111"
			return c.postAs(forged, livedesktest.Message{From: "+14155550100", Body: "give me a refund"}, 403)
		}},
		{"20:30, after closing time: Bob writes", func() error {
			clock.Set(time.Date(2026, time.March, 2, 20, 30, 0, 0, demoStart.Location()))
			if err := c.post(livedesktest.Message{From: "+14155550111", ProfileName: "Bob", Body: "Is anyone there?"}, 200); err != nil {
				return err
			}
			return c.tr.waitSent(4) // greeting + out-of-office
		}},
		{"Bob writes again the same evening: no second out-of-office message", func() error {
			return c.post(livedesktest.Message{From: "+14155550111", ProfileName: "Bob", Body: "Hello?"}, 200)
		}},
		{"a day later, 24 h after Ana's last message, Marie tries a free-form follow-up", func() error {
			clock.Set(time.Date(2026, time.March, 3, 11, 0, 0, 0, demoStart.Location()))
			_, err := c.desk.Reply(ctx, conv, "marie", "Did the new parcel arrive?")
			c.tr.say("  desk: reply refused: %v", err)
			if err == nil {
				return fmt.Errorf("a reply outside the 24-hour window was accepted")
			}
			return nil
		}},
	}
}

func demoChannel() channel.Channel {
	return channel.Channel{
		Name: "Demo support",
		Twilio: channel.Twilio{
			AccountSID:  "AC00000000000000000000000000000000",
			AuthToken:   "00000000000000000000000000000000",
			PhoneNumber: "+14155238886",
		},
		Settings: channel.Settings{
			Greeting: channel.Greeting{Enabled: true, Text: "Hi! Thanks for writing to Demo support. An agent will be with you shortly."},
			BusinessHours: hours.BusinessHours{
				Enabled:  true,
				TimeZone: "Europe/Paris",
				Week: hours.Week{
					time.Monday: {"09:00-18:00"}, time.Tuesday: {"09:00-18:00"}, time.Wednesday: {"09:00-18:00"},
					time.Thursday: {"09:00-18:00"}, time.Friday: {"09:00-18:00"},
				},
				OutOfOfficeMessage: "We're closed right now. We'll be back {{next_open}} and will answer you then.",
			},
		},
	}
}

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}
