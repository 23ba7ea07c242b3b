package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestDemo runs the quickstart's whole flow and checks its transcript.
func TestDemo(t *testing.T) {
	var out bytes.Buffer
	if err := demo(t.Context(), &out); err != nil {
		t.Fatalf("demo: %v\n%s", err, out.String())
	}
	transcript := out.String()
	for _, want := range []string{
		"its webhook URL (paste into Twilio): http://127.0.0.1:",
		"greeting queued: \"Hi! Thanks for writing",
		"greeting sent to Twilio (queued)",
		"duplicate MessageSid, already stored: nothing done",
		"greeting is now delivered",
		"greeting is now read",
		"reply sent to Twilio (queued)",
		"-> 403",
		"out_of_office queued: \"We're closed right now. We'll be back 2026-03-03 09:00 (Europe/Paris)",
		"reply refused: livedesk: outside WhatsApp's 24-hour window",
		"result: 2 conversation(s)",
	} {
		if !strings.Contains(transcript, want) {
			t.Errorf("transcript lacks %q:\n%s", want, transcript)
		}
	}
	for line, n := range map[string]int{"greeting queued": 2, "out_of_office queued": 1, "greeting sent": 2} {
		if got := strings.Count(transcript, line); got != n {
			t.Errorf("%q %d times, want %d:\n%s", line, got, n, transcript)
		}
	}
	// The greeting goes out before the out-of-office message.
	bob := transcript[strings.Index(transcript, "Bob writes"):]
	if strings.Index(bob, "greeting sent") > strings.Index(bob, "out_of_office sent") {
		t.Errorf("out-of-office sent before the greeting:\n%s", bob)
	}
}
