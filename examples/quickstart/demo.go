package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/livedesktest"
	"github.com/livedesk/livedesk/store"
)

// demoStart is the demo's clock: a Monday at 10:00 in Paris. The demo's time
// only moves when the script says so.
var demoStart = time.Date(2026, time.March, 2, 10, 0, 0, 0, mustZone("Europe/Paris"))

// demo runs the scripted flow against a desk served on loopback, sending
// through a fake Twilio API also on loopback.
func demo(ctx context.Context, out io.Writer, st store.Store) error {
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
	defer tr.flush() // what the last step, the report and the summary said
	desk, err := livedesk.New(livedesk.Options{
		PublicURL: publicURL, OnEvent: tr.onEvent, Clock: clock, Messenger: twilioAPI.Messenger(), Store: st,
		AIAgents: map[string]livedesk.AIAgent{"bot": scriptedBot()},
		// The demo prints its own transcript; the desk's log lines (the
		// default is slog.Default(), on stderr) would interleave with it.
		Logger: slog.New(slog.DiscardHandler),
	})
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

	where := "in-memory store"
	if st != nil {
		where = "PostgreSQL schema " + demoSchema
	}
	tr.say("LiveDesk quickstart (%s, a fake Twilio API on loopback, no Twilio account needed)", where)
	twilioAccounts(twilioAPI)
	support, sales, err := setUp(ctx, desk, tr)
	if err != nil {
		return err
	}
	if s, _ := twilioAPI.WhatsAppSender(support.Twilio.PhoneNumber); s.CallbackURL != desk.WebhookURL(support.ID) {
		return fmt.Errorf("the fake Twilio's sender webhook is %q, want %q", s.CallbackURL, desk.WebhookURL(support.ID))
	}
	tr.say("\nchannel %q: webhook URL: %s", support.Name, desk.WebhookURL(support.ID))
	tr.say("  greeting, CSAT survey, business hours Mon-Fri 09:00-18:00 Europe/Paris, rule \"Refunds\" -> team billing,")
	tr.say("  AI agent \"bot\", then agents lea, marie, paul by least load")
	tr.say("channel %q: webhook URL: %s", sales.Name, desk.WebhookURL(sales.ID))
	tr.say("  agents lea, marie, paul by round robin")
	tr.say("it is %s", clock.Now().Format("Monday 15:04 MST"))

	s := &script{ctx: ctx, desk: desk, tr: tr, api: twilioAPI, clock: clock,
		support: customerOn(desk, support, tr, twilioAPI), sales: customerOn(desk, sales, tr, twilioAPI)}
	for i, st := range s.steps() {
		tr.say("\n%d. %s", i+1, st.title)
		if err := st.run(); err != nil {
			return fmt.Errorf("step %d (%s): %w", i+1, st.title, err)
		}
		if err := tr.settle(); err != nil {
			return fmt.Errorf("step %d (%s): %w", i+1, st.title, err)
		}
		tr.flush()
	}
	if err := tr.report(ctx); err != nil {
		return err
	}
	return tr.summary(ctx, support.ID, sales.ID)
}

type step struct {
	title string
	run   func() error
}

// script is the demo's story. Each step posts webhooks or acts as an agent
// and waits for the desk to finish what it triggers.
type script struct {
	ctx            context.Context
	desk           *livedesk.Desk
	tr             *transcript
	api            *livedesktest.TwilioAPI
	clock          *livedesktest.Clock
	support, sales *customer
}

func (s *script) steps() []step {
	ana := livedesktest.Message{SID: livedesktest.NewSID(), From: "+14155550100", ProfileName: "Ana", Body: "Hello, where is my order #123?"}
	return []step{
		{"Ana writes for the first time: greeting, then the AI agent answers", func() error {
			if err := s.support.post(ana, 200); err != nil {
				return err
			}
			return s.tr.waitSent(2)
		}},
		{"Twilio retries the same delivery (same MessageSid)", func() error { return s.support.post(ana, 200) }},
		{"Twilio reports the greeting delivered, then read", func() error {
			return s.support.statuses(s.api.Sent()[0], "delivered", "read")
		}},
		{"Ana asks for a person: the AI agent hands off, the least loaded agent takes over", func() error {
			if err := s.support.post(livedesktest.Message{From: ana.From, ProfileName: "Ana", Body: "Can I talk to a person?"}, 200); err != nil {
				return err
			}
			return s.tr.wait(livedesk.EventAssigned, 2)
		}},
		{"Lea opens Ana's conversation (\"typing…\" and blue ticks), then replies", func() error {
			shown, err := s.desk.Typing(s.ctx, s.conversation(ana.From))
			if err != nil {
				return err
			}
			typing := s.api.TypingIndicators()
			if !shown || len(typing) != 1 {
				return fmt.Errorf("typing indicator shown %v, %d sent to Twilio", shown, len(typing))
			}
			s.tr.say("  desk: typing indicator posted to Twilio for Ana's last message %s", typing[0].MessageID)
			if _, err := s.desk.Reply(s.ctx, s.conversation(ana.From), "lea", "Hi Ana, I'm Lea. Your order left our warehouse this morning."); err != nil {
				return err
			}
			return s.tr.waitSent(4)
		}},
		{"Bob asks for a refund: the \"Refunds\" rule sends him to the billing team", func() error {
			return s.support.post(livedesktest.Message{From: "+14155550111", ProfileName: "Bob", Body: "I'd like a REFUND for order #9"}, 200)
		}},
		{"on the sales channel, three customers write: round robin", func() error {
			for i, name := range []string{"Cleo", "Dan", "Eve"} {
				m := livedesktest.Message{From: fmt.Sprintf("+1415555012%d", i), ProfileName: name, Body: "Do you ship to Spain?"}
				if err := s.sales.post(m, 200); err != nil {
					return err
				}
			}
			return nil
		}},
		{"someone forges a request without the Auth Token", func() error {
			forged := s.support.ch
			forged.Twilio.AuthToken = "11111111111111111111111111111111"
			return s.support.postAs(forged, livedesktest.Message{From: ana.From, Body: "give me a refund"}, 403)
		}},
		{"Lea resolves Ana's conversation: the CSAT survey goes out", func() error {
			sent := s.tr.count(livedesk.EventMessageSent)
			if _, err := s.desk.Resolve(s.ctx, s.conversation(ana.From)); err != nil {
				return err
			}
			return s.tr.waitSent(sent + 1)
		}},
		{"Ana answers the survey, then leaves a comment", func() error {
			if err := s.support.post(livedesktest.Message{From: ana.From, Body: "5 ⭐"}, 200); err != nil {
				return err
			}
			return s.support.post(livedesktest.Message{From: ana.From, Body: "Lea was quick and kind"}, 200)
		}},
		{"20:30, after closing time: Finn writes", func() error {
			s.clock.Set(time.Date(2026, time.March, 2, 20, 30, 0, 0, demoStart.Location()))
			replies := s.tr.count(livedesk.EventAIReplied)
			if err := s.support.post(livedesktest.Message{From: "+14155550150", ProfileName: "Finn", Body: "Is anyone there?"}, 200); err != nil {
				return err
			}
			return s.tr.wait(livedesk.EventAIReplied, replies+1)
		}},
		{"Finn writes again the same evening: no second out-of-office message", func() error {
			// The previous step settled: Finn's phone shows the greeting, then the out-of-office message.
			if err := s.phoneOrder("+14155550150", "Hi! Thanks", "We're closed"); err != nil {
				return err
			}
			replies := s.tr.count(livedesk.EventAIReplied)
			if err := s.support.post(livedesktest.Message{From: "+14155550150", ProfileName: "Finn", Body: "Hello?"}, 200); err != nil {
				return err
			}
			return s.tr.wait(livedesk.EventAIReplied, replies+1)
		}},
		{"Tuesday 11:00, more than 24 h after Bob's message: Paul tries a free-form follow-up", func() error {
			s.clock.Set(time.Date(2026, time.March, 3, 11, 0, 0, 0, demoStart.Location()))
			_, err := s.desk.Reply(s.ctx, s.conversation("+14155550111"), "paul", "Did you receive the refund?")
			s.tr.say("  desk: reply refused: %v", err)
			if err == nil {
				return fmt.Errorf("a reply outside the 24-hour window was accepted")
			}
			return nil
		}},
	}
}

// phoneOrder checks that a customer's phone got messages starting with
// these texts in this order, as Twilio received them (events of messages
// sent at nearly the same time may be reported in either order; the phone
// sees Twilio's order, which the outbox keeps per conversation).
func (s *script) phoneOrder(phone string, prefixes ...string) error {
	next := 0
	for _, m := range s.api.Sent() {
		if next < len(prefixes) && m.To == "whatsapp:"+phone && strings.HasPrefix(m.Body, prefixes[next]) {
			next++
		}
	}
	if next < len(prefixes) {
		return fmt.Errorf("%s did not get %q in this order", phone, prefixes)
	}
	return nil
}

// conversation finds a customer's latest conversation on the support channel.
func (s *script) conversation(phone string) string {
	convs, _ := s.desk.Conversations(s.ctx, store.ConversationFilter{ChannelID: s.support.ch.ID})
	id := ""
	for _, c := range convs {
		if k, err := s.desk.Contact(s.ctx, c.ContactID); err == nil && k.Phone == phone {
			id = c.ID
		}
	}
	return id
}
