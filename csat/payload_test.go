package csat

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

func TestParsePayload(t *testing.T) {
	cases := []struct {
		rule   string
		p      string
		survey string
		n      int
	}{
		{"made by Payload", "csat:conv_42:5", "conv_42", 5},
		{"lowest score", "csat:s:1", "s", 1},
		{"survey id with colons: last colon splits", "csat:ch:1:conv:9:3", "ch:1:conv:9", 3},
		{"uuid survey id", "csat:4f7d9c1e-8a0b-4c2d-9e3f-0a1b2c3d4e5f:4", "4f7d9c1e-8a0b-4c2d-9e3f-0a1b2c3d4e5f", 4},
		{"reject: other prefix", "menu:agent", "", 0},
		{"reject: prefix case matters", "CSAT:s:5", "", 0},
		{"reject: no score", "csat:s", "", 0},
		{"reject: empty score", "csat:s:", "", 0},
		{"reject: empty survey", "csat::5", "", 0},
		{"reject: zero", "csat:s:0", "", 0},
		{"reject: six", "csat:s:6", "", 0},
		{"reject: two digits", "csat:s:45", "", 0},
		{"reject: word score", "csat:s:five", "", 0},
		{"reject: space in survey id", "csat:a b:5", "", 0},
		{"reject: control character", "csat:a\nb:5", "", 0},
		{"reject: invalid UTF-8", "csat:a\xffb:5", "", 0},
		{"reject: longer than Twilio's 200-character id limit", "csat:" + strings.Repeat("x", 194) + ":5", "", 0},
	}
	for _, tc := range cases {
		t.Run(tc.rule, func(t *testing.T) {
			survey, n, ok := ParsePayload(tc.p)
			require.Equal(t, tc.n != 0, ok)
			require.Equal(t, tc.survey, survey)
			require.Equal(t, tc.n, n)
		})
	}
}

func TestPayloadTemplateIDs(t *testing.T) {
	require.Equal(t, "csat:{{1}}:5", Payload("{{1}}", 5), "the id to put in a Content template")
	require.Equal(t, "csat:conv_42:3", Payload("conv_42", 3))
}

// TestPayloadRoundTrip: every id Payload makes from a plausible survey id
// (what ids the desk generates look like) and a score reads back unchanged.
func TestPayloadRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		id := rapid.StringMatching(`[A-Za-z0-9_:.\-]{1,150}`).Draw(t, "survey")
		n := rapid.IntRange(1, 5).Draw(t, "n")
		survey, got, ok := ParsePayload(Payload(id, n))
		if !ok || survey != id || got != n {
			t.Fatalf("ParsePayload(Payload(%q, %d)) = %q, %d, %v", id, n, survey, got, ok)
		}
		r, ok := ParseRating("anything the title says", Payload(id, n))
		if !ok || r != (Rating{Value: n, Method: MethodPayload}) {
			t.Fatalf("ParseRating with payload = %+v, %v", r, ok)
		}
	})
}
