package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/require"
)

// The example runs without an API key, against its local fake of the API:
// the model calls the host's order lookup, then answers from its result.
func TestRunWithoutKey(t *testing.T) {
	noEnv := func(string) string { return "" }
	tests := []struct {
		name     string
		args     []string
		contains []string
	}{
		{
			name: "the default question: a lookup, then the answer",
			contains: []string{
				"using a scripted local fake",
				"Customer's open orders: #1042",
				"- tier: VIP",
				"Business hours: ",
				`Tool call (not sent to the customer): lookup_order({"order_id":"1042"})`,
				`-> {"id":"1042","items":"1 chocolate cake for 10","status":"baking","delivery":"Saturday 15:00, Villeurbanne"}`,
				"AI agent answers (95 characters",
				"Your order #1042 (1 chocolate cake for 10) is *baking*; delivery: Saturday 15:00, Villeurbanne.",
			},
		},
		{
			name: "someone else's order is an error the model is told",
			args: []string{"Where", "is", "order", "2001?"},
			contains: []string{
				`lookup_order({"order_id":"2001"})`,
				`-> error: no order "2001" for this customer`,
				"I could not find that order: could you check its number?",
			},
		},
		{
			name:     "no order number: a plain answer",
			args:     []string{"Hello"},
			contains: []string{"Hello! I am a scripted stand-in for the model"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			require.NoError(t, run(context.Background(), noEnv, tt.args, &out))
			for _, want := range tt.contains {
				require.Contains(t, out.String(), want)
			}
			require.NotContains(t, out.String(), "+33612345678", "the printed context and conversation never show the phone number")
		})
	}
}
