package main

import (
	"bytes"
	"regexp"
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

// TestDemoStableOrder runs the demo twice: the transcripts are the same
// once IDs, SIDs and ports are masked.
func TestDemoStableOrder(t *testing.T) {
	mask := regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f-]{27}|conversation [0-9a-f]{8}|(SM|XE)[0-9a-f]{32}|127\.0\.0\.1:[0-9]+`)
	var runs [2]string
	for i := range runs {
		var out bytes.Buffer
		if err := demo(t.Context(), &out, nil); err != nil {
			t.Fatalf("demo: %v\n%s", err, out.String())
		}
		runs[i] = mask.ReplaceAllString(out.String(), "X")
	}
	if runs[0] != runs[1] {
		t.Errorf("the transcript changed between runs:\n%s\n----\n%s", runs[0], runs[1])
	}
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
		"twilio: accepted greeting for +14155550100: \"Hi! Thanks for writing to Demo support.\"",
		"assigned to AI agent bot",
		"AI agent bot replied",
		"duplicate MessageSid, already stored: nothing done",
		"phone +14155550100: the greeting is delivered",
		"phone +14155550100: the greeting is read",
		"AI agent bot handed off: the customer asked for a person",
		"assigned to lea (it was waiting for an agent)",
		"twilio: accepted reply for +14155550100:",
		`assigned to paul (rule "Refunds")`,
		"assigned to lea (human pool)",
		"assigned to marie (human pool)",
		"assigned to paul (human pool)",
		"-> 403",
		"CSAT survey put in the outbox, attributed to lea",
		"CSAT rating 5 recorded for lea",
		"CSAT comment recorded",
		"out_of_office put in the outbox: \"We're closed right now. We'll be back 2026-03-03 09:00 (Europe/Paris)",
		"reply refused: livedesk: outside WhatsApp's 24-hour window",
		"CSAT report: 1 sent, 1 answered (100%), average 5.0, CSAT 100%",
		"result: 6 conversation(s)",
	} {
		if !strings.Contains(transcript, want) {
			t.Errorf("transcript lacks %q:\n%s", want, transcript)
		}
	}
	for line, n := range map[string]int{"greeting put in the outbox": 3, "out_of_office put in the outbox": 1, "duplicate MessageSid": 1} {
		if got := strings.Count(transcript, line); got != n {
			t.Errorf("%q %d times, want %d:\n%s", line, got, n, transcript)
		}
	}
	// Every message put in the outbox was sent.
	if q, s := strings.Count(transcript, " put in the outbox: "), strings.Count(transcript, "  twilio: accepted "); q != s {
		t.Errorf("%d messages put in the outbox, %d accepted by Twilio:\n%s", q, s, transcript)
	}
	// One meaning per word: "queued" is Twilio's status word, never said.
	if strings.Contains(transcript, "queued") {
		t.Errorf("the transcript says \"queued\":\n%s", transcript)
	}
	// No two identical send lines in a step, which would look like a double send.
	for i, step := range strings.Split(transcript, "\n\n") {
		seen := map[string]bool{}
		for _, l := range strings.Split(step, "\n") {
			if strings.HasPrefix(l, "  twilio: accepted ") && seen[l] {
				t.Errorf("step %d: %q twice", i, l)
			}
			seen[l] = true
		}
	}
}
