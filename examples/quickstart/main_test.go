package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/livedesk/livedesk/store"
	"github.com/livedesk/livedesk/store/pgstore"
	"github.com/livedesk/livedesk/store/pgstore/pgtest"
)

// TestDemo runs the quickstart's whole flow and checks its transcript.
func TestDemo(t *testing.T) { checkDemo(t, nil) }

// TestDemoPostgres runs it on PostgreSQL (-postgres).
func TestDemoPostgres(t *testing.T) {
	pool := pgtest.Pool(t)
	st, err := pgstore.New(pool, pgstore.Options{Schema: pgtest.Schema(t, pool)})
	if err != nil {
		t.Fatal(err)
	}
	checkDemo(t, st)
}

func checkDemo(t *testing.T, st store.Store) {
	var out bytes.Buffer
	if err := demo(t.Context(), &out, st); err != nil {
		t.Fatalf("demo: %v\n%s", err, out.String())
	}
	transcript := out.String()
	for _, want := range []string{
		"refused, nothing stored: channel: Twilio.AuthToken Twilio refused these credentials (20003)",
		"credentials checked with Twilio; channel stored",
		"dry run: WhatsApp sender XE",
		"(whatsapp:+14155550199): set to POST http://127.0.0.1:",
		"(applied: true)",
		"sender whatsapp:+14155550199 is ONLINE, quality HIGH",
		"the sandbox's webhook is set in the Twilio console",
		"webhook URL (paste into Twilio): http://127.0.0.1:",
		"typing indicator posted to Twilio for Ana's last message SM",
		"greeting sent to Twilio (queued)",
		"assigned to AI agent bot",
		"AI agent bot replied",
		"duplicate MessageSid, already stored: nothing done",
		"greeting is now delivered",
		"greeting is now read",
		"AI agent bot handed off: the customer asked for a person",
		"assigned to lea (queue)",
		"reply sent to Twilio (queued)",
		`assigned to paul (rule "Refunds")`,
		"assigned to lea (human pool)",
		"assigned to marie (human pool)",
		"assigned to paul (human pool)",
		"-> 403",
		"CSAT survey queued, attributed to lea",
		"CSAT rating 5 recorded for lea",
		"CSAT comment recorded",
		"out_of_office queued: \"We're closed right now. We'll be back 2026-03-03 09:00 (Europe/Paris)",
		"reply refused: livedesk: outside WhatsApp's 24-hour window",
		"CSAT report: 1 sent, 1 answered (100%), average 5.0, CSAT 100%",
		"result: 6 conversation(s)",
	} {
		if !strings.Contains(transcript, want) {
			t.Errorf("transcript lacks %q:\n%s", want, transcript)
		}
	}
	for line, n := range map[string]int{"greeting queued": 3, "out_of_office queued": 1, "duplicate MessageSid": 1} {
		if got := strings.Count(transcript, line); got != n {
			t.Errorf("%q %d times, want %d:\n%s", line, got, n, transcript)
		}
	}
	// Every queued message was sent, in order within its conversation.
	if q, s := strings.Count(transcript, " queued: "), strings.Count(transcript, " sent to Twilio "); q != s {
		t.Errorf("%d messages queued, %d sent:\n%s", q, s, transcript)
	}
}
