package main

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"sync"
	"time"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/csat"
	"github.com/livedesk/livedesk/hours"
	"github.com/livedesk/livedesk/livedesktest"
	"github.com/livedesk/livedesk/routing"
	"github.com/livedesk/livedesk/store"
)

// demo holds the demo's desk and fakes.
type demo struct {
	desk  *livedesk.Desk
	api   *livedesktest.TwilioAPI
	clock *shiftClock
	base  string

	support, ventas channel.Channel

	mu        sync.Mutex
	queued    int // outbound messages queued
	done      int // sent or failed
	delivered map[string]bool
}

// count follows the outbox so seeding can wait for it to drain.
func (d *demo) count(e livedesk.Event) {
	d.mu.Lock()
	defer d.mu.Unlock()
	switch e.Type {
	case livedesk.EventMessageQueued:
		d.queued++
	case livedesk.EventMessageSent, livedesk.EventMessageFailed:
		d.done++
	}
}

// drain waits (a demo, not a test: polling is fine) until everything queued
// was sent, then posts delivery statuses for it.
func (d *demo) drain() {
	for i := 0; i < 500; i++ {
		d.mu.Lock()
		ok := d.done >= d.queued
		d.mu.Unlock()
		if ok {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	d.deliver()
}

// spare is the fake Twilio account the demo's visitors may add as a
// channel, with its WhatsApp sender (classic mode) or spareServiceSID
// (Messaging Service mode).
var spare = channel.Channel{Twilio: channel.Twilio{AccountSID: "AC" + strings.Repeat("d", 32),
	AuthToken: "00112233445566778899aabbccddeeff", PhoneNumber: "+14155550100"}}

const spareServiceSID = "MG" + "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee"

var demoTokens = map[string]channel.Secret{}

// deliver posts "delivered" and "read" callbacks for what the fake API
// accepted, as a customer's phone would.
func (d *demo) deliver() {
	for _, m := range d.api.Sent() {
		d.mu.Lock()
		seen := d.delivered[m.SID]
		d.delivered[m.SID] = true
		d.mu.Unlock()
		if seen {
			continue
		}
		for _, st := range []string{"delivered", "read"} {
			req := d.api.StatusCallback(m, st, 0, demoTokens[m.AccountSID])
			d.desk.Handler().ServeHTTP(httptest.NewRecorder(), localize(req))
		}
	}
}

func (d *demo) deliverLoop(ctx context.Context) {
	t := time.NewTicker(2 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			d.deliver()
		}
	}
}

// post writes to the desk as a customer, through its webhook handler.
func (d *demo) post(ch channel.Channel, from, name, text string) (store.Conversation, error) {
	m := livedesktest.Message{From: from, ProfileName: name, Body: text}
	req := livedesktest.NewRequest(ch, d.desk.WebhookURL(ch.ID), "", m.Form(ch))
	rec := httptest.NewRecorder()
	d.desk.Handler().ServeHTTP(rec, localize(req))
	if rec.Code != 200 {
		return store.Conversation{}, fmt.Errorf("webhook: %d %s", rec.Code, rec.Body)
	}
	ct, err := d.desk.ContactByPhone(context.Background(), ch.ID, from)
	if err != nil {
		return store.Conversation{}, err
	}
	cs, err := d.desk.Conversations(context.Background(), store.ConversationFilter{ContactID: ct.ID, Status: store.StatusOpen})
	if err != nil || len(cs) == 0 {
		return store.Conversation{}, fmt.Errorf("no open conversation for %s: %v", from, err)
	}
	return cs[0], nil
}

func (d *demo) seed(ctx context.Context) error {
	d.delivered = map[string]bool{}
	for _, a := range []store.Agent{
		{ID: "lea", Name: "Léa Martin", Capacity: 6, Status: store.AgentOnline, Teams: []string{"support"}},
		{ID: "marie", Name: "Marie Dubois", Capacity: 4, Status: store.AgentOnline, Teams: []string{"billing"}},
		{ID: "paul", Name: "Paul Garcia", Capacity: 4, Status: store.AgentOnline, Teams: []string{"support", "es"}},
		{ID: "sam", Name: "Sam Lee", Capacity: 3, Status: store.AgentOffline},
	} {
		if _, err := d.desk.CreateAgent(ctx, a); err != nil {
			return err
		}
	}
	week := hours.Week{}
	for day := time.Monday; day <= time.Friday; day++ {
		week[day] = []hours.Range{"08:00-12:30", "13:30-20:00"}
	}
	week[time.Saturday] = []hours.Range{"10:00-14:00"}
	support := channel.Channel{
		Name: "Support EN",
		Twilio: channel.Twilio{AccountSID: "AC" + strings.Repeat("a", 32), AuthToken: "0123456789abcdef0123456789abcdef",
			PhoneNumber: "+14155238886"},
		Settings: channel.Settings{
			Greeting: channel.Greeting{Enabled: true, Text: "Hi! Thanks for writing to Acme support. An agent will be with you shortly."},
			BusinessHours: hours.BusinessHours{Enabled: true, TimeZone: "Europe/London", Week: week,
				Exceptions:         []hours.Exception{{Name: "Christmas", Date: "2026-12-25", Yearly: true, Closed: true}},
				OutOfOfficeMessage: "We're closed right now and back {{next_open}}. We'll answer you then."},
			CSAT: csat.Config{Enabled: true, CommentRequest: "Thanks! Anything we could do better?"},
			Assignment: channel.Assignment{Strategy: routing.StrategyLeastLoaded, Sticky: true,
				Rules: []routing.Rule{
					{Name: "Billing", When: routing.Condition{TextContainsAny: []string{"refund", "invoice", "charged"}}, Then: routing.Target{Team: "billing"}},
					{Name: "VIP customers", When: routing.Condition{Attribute: &routing.AttributeCondition{Key: "plan", Equals: "vip"}}, Then: routing.Target{Agent: "lea"}},
				},
				Agents:   []string{"lea", "marie", "paul"},
				AIAgents: []channel.AIAgentRef{{ID: "faq-bot", Enabled: false}}},
		},
	}
	ventas := channel.Channel{
		Name: "Ventas ES",
		Twilio: channel.Twilio{AccountSID: "AC" + strings.Repeat("b", 32), AuthToken: "fedcba9876543210fedcba9876543210",
			MessagingServiceSID: "MG" + strings.Repeat("c", 32)},
		Settings: channel.Settings{
			Greeting:   channel.Greeting{Enabled: true, Text: "¡Hola! Gracias por escribirnos."},
			CSAT:       csat.Config{Enabled: true},
			Assignment: channel.Assignment{Strategy: routing.StrategyRoundRobin, Agents: []string{"paul", "lea"}},
		},
	}
	// The fake Twilio API knows the two accounts as Twilio would: their
	// tokens, the WhatsApp sender, the Messaging Service with its pool, and
	// an approved template each. CreateChannel checks them with it.
	d.api.Register(support)
	d.api.AddMessagingService(ventas.Twilio.AccountSID, ventas.Twilio.MessagingServiceSID, "+34910000000")
	d.api.Register(ventas)
	for _, t := range []livedesktest.Template{
		{AccountSID: support.Twilio.AccountSID, FriendlyName: "We're following up", Body: "Hi! We're following up on your request: is there anything else we can help with?", Status: "approved", Category: "UTILITY"},
		{AccountSID: ventas.Twilio.AccountSID, FriendlyName: "Seguimiento", Language: "es", Body: "¡Hola! ¿Podemos ayudarte en algo más?", Status: "approved", Category: "UTILITY"},
	} {
		d.api.AddTemplate(t)
	}
	// A third account, with no channel yet, for trying the "Add WhatsApp
	// channel" form: the home page shows its credentials.
	d.api.Register(spare)
	d.api.AddMessagingService(spare.Twilio.AccountSID, spareServiceSID, spare.Twilio.PhoneNumber)
	var err error
	if d.support, err = d.desk.CreateChannel(ctx, support); err != nil {
		return fmt.Errorf("channel %s: %w", support.Name, err)
	}
	if d.ventas, err = d.desk.CreateChannel(ctx, ventas); err != nil {
		return fmt.Errorf("channel %s: %w", ventas.Name, err)
	}
	for _, ch := range []channel.Channel{d.support, d.ventas} {
		demoTokens[ch.Twilio.AccountSID] = ch.Twilio.AuthToken
	}
	if err := d.history(ctx); err != nil {
		return err
	}
	d.clock.set(0)
	return d.today(ctx)
}

// history writes two weeks of resolved, rated conversations.
func (d *demo) history(ctx context.Context) error {
	ratings := []string{"5", "4", "5", "3", "5", "⭐⭐⭐⭐", "2", "5", "4", "very good", "5", "1", "4", "5"}
	n := 0
	for day := 13; day >= 1; day-- {
		for k := 0; k < 1+day%3; k++ {
			n++
			d.clock.set(-time.Duration(day)*24*time.Hour + time.Duration(k)*47*time.Minute)
			ch, phone := d.support, fmt.Sprintf("+1415555%04d", n)
			if n%4 == 0 {
				ch, phone = d.ventas, fmt.Sprintf("+34600%06d", n)
			}
			name := customers[n%len(customers)]
			conv, err := d.post(ch, phone, name, questions[n%len(questions)])
			if err != nil {
				return err
			}
			agent := conv.AssigneeID
			if agent == "" {
				agent = "lea"
				if _, err := d.desk.Assign(ctx, conv.ID, agent); err != nil {
					return err
				}
			}
			if _, err := d.desk.Reply(ctx, conv.ID, agent, answers[n%len(answers)]); err != nil {
				return err
			}
			if _, err := d.desk.Resolve(ctx, conv.ID); err != nil {
				return err
			}
			d.drain()
			if n%5 != 0 { // some customers never answer the survey
				if _, err := d.post(ch, phone, name, ratings[n%len(ratings)]); err != nil && !strings.Contains(err.Error(), "no open conversation") {
					return err
				}
			}
			d.drain()
		}
	}
	return nil
}

// today leaves open conversations in every inbox view.
func (d *demo) today(ctx context.Context) error {
	d.clock.set(-3 * time.Hour)
	conv, err := d.post(d.support, "+14155550123", "Olivia Brown", "Hi, my order #4821 hasn't arrived yet. Can you check?")
	if err != nil {
		return err
	}
	d.drain()
	if _, err := d.desk.Assign(ctx, conv.ID, "lea"); err != nil {
		return err
	}
	d.clock.set(-170 * time.Minute)
	if _, err := d.desk.Reply(ctx, conv.ID, "lea", "Hi Olivia! It left our warehouse yesterday, tracking: ACME-88412. It should arrive tomorrow."); err != nil {
		return err
	}
	d.drain()
	d.clock.set(-160 * time.Minute)
	if _, err := d.post(d.support, "+14155550123", "Olivia Brown", "Great, thank you! 🙏"); err != nil {
		return err
	}
	if _, err := d.desk.AddNote(ctx, conv.ID, livedesk.Note{AgentID: "lea", Text: "Second late order this month: offer free shipping next time."}); err != nil {
		return err
	}
	for _, l := range []string{"shipping", "vip"} {
		if err := d.desk.AddLabel(ctx, conv.ID, l); err != nil {
			return err
		}
	}
	d.clock.set(-90 * time.Minute)
	if _, err := d.post(d.ventas, "+34600123456", "Javier Ruiz", "¿Tenéis la talla M en azul?"); err != nil {
		return err
	}
	d.drain()
	if _, err := d.desk.SetAgentStatus(ctx, "marie", store.AgentOffline); err != nil {
		return err
	}
	d.clock.set(-40 * time.Minute)
	if _, err := d.post(d.support, "+14155550456", "Noah Wilson", "I was charged twice for my subscription, I'd like a refund please."); err != nil {
		return err
	}
	d.clock.set(-12 * time.Minute)
	if _, err := d.post(d.support, "+14155550789", "Emma Davis", "Do you ship to Ireland?"); err != nil {
		return err
	}
	d.drain()
	d.clock.set(0)
	return nil
}

var customers = []string{"Amelia Clarke", "Jack Taylor", "Isla Evans", "Harry Walker", "Mia Wright", "Oscar Hughes", "Lucía Gómez", "Ava Green"}

var questions = []string{
	"Hello, where is my order?", "Can I change my delivery address?", "The zip on my jacket broke.",
	"How do I return an item?", "Do you have this in size L?", "My discount code doesn't work.",
	"Is the store open on Sunday?",
}

var answers = []string{
	"Thanks for waiting! It ships today and you'll get a tracking link by email.",
	"Done: the new address is on the order.", "Sorry about that! I've sent a free replacement.",
	"You can return it for free within 30 days from your account page.",
}
