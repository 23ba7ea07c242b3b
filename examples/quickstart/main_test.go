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
	for _, want := range []string{
		"its webhook URL (paste into Twilio): http://127.0.0.1:",
		"greeting queued: \"Hi! Thanks for writing",
		"duplicate MessageSid, already stored: nothing done",
		"-> 403",
		"result: 1 conversation(s)",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("transcript lacks %q:\n%s", want, out.String())
		}
	}
	if n := strings.Count(out.String(), "greeting queued"); n != 1 {
		t.Errorf("greeting queued %d times, want 1", n)
	}
}
