package openai_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/ai/openai"
	"github.com/livedesk/livedesk/hours"
	"github.com/livedesk/livedesk/store"
)

// bakeryHours: Tuesday to Saturday 7:00-19:00 in Paris.
func bakeryHours(t *testing.T) *hours.Schedule {
	t.Helper()
	day := []hours.Range{"07:00-19:00"}
	s, err := hours.BusinessHours{Enabled: true, TimeZone: "Europe/Paris",
		Week: hours.Week{time.Tuesday: day, time.Wednesday: day, time.Thursday: day, time.Friday: day, time.Saturday: day}}.Compile()
	require.NoError(t, err)
	return s
}

func TestDefaultContext(t *testing.T) {
	sat := time.Date(2026, time.November, 28, 9, 15, 0, 0, time.UTC) // 10:15 in Paris
	contact := store.Contact{ID: "c1", Phone: "+33612345678", ProfileName: "Marie",
		Attributes: map[string]string{"tier": "VIP", "last_order": "1042", "note": "prefers\nmornings"}}
	tests := []struct {
		name string
		req  livedesk.AIRequest
		want string
	}{
		{
			name: "name and attributes, sorted, one line each",
			req:  livedesk.AIRequest{ChannelName: "Le Fournil", Contact: contact},
			want: "WhatsApp channel: Le Fournil\nCustomer's WhatsApp name: Marie\n" +
				"What we know about the customer (from our records):\n- last_order: 1042\n- note: prefers mornings\n- tier: VIP",
		},
		{
			name: "open now, until closing time, in the schedule's zone",
			req:  livedesk.AIRequest{Now: sat, BusinessHours: bakeryHours(t)},
			want: "Current time: Saturday 2026-11-28 10:15 (Europe/Paris)\n" +
				"Business hours: open now, until Saturday 2026-11-28 19:00 (Europe/Paris)",
		},
		{
			name: "closed now, with the next opening",
			req:  livedesk.AIRequest{Now: sat.Add(10 * time.Hour), BusinessHours: bakeryHours(t)},
			want: "Current time: Saturday 2026-11-28 20:15 (Europe/Paris)\n" +
				"Business hours: closed now; the team is back Tuesday 2026-12-01 07:00 (Europe/Paris)",
		},
		{
			name: "no business hours: the time in UTC",
			req:  livedesk.AIRequest{Now: sat},
			want: "Current time: Saturday 2026-11-28 09:15 (UTC)",
		},
		{
			name: "nothing known",
			want: "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := openai.DefaultContext(tt.req)
			require.Equal(t, tt.want, got)
			require.NotContains(t, got, contact.Phone)
		})
	}
}

// The contact's attributes reach the model, the phone number never does.
func TestContextInTheSystemMessage(t *testing.T) {
	t.Parallel()
	api := newFakeAPI(t, ok(completion(textMessage("OK."), "stop")))
	a := newAgent(t, api, openai.Config{SystemPrompt: bakeryPrompt})
	req := conversation()
	req.Contact.Attributes = map[string]string{"tier": "VIP", "last_order": "1042"}
	_, err := a.Respond(context.Background(), req)
	require.NoError(t, err)
	sys := system(t, api, 0)
	require.True(t, strings.HasSuffix(sys, "\n\nWhatsApp channel: Le Fournil\nCustomer's WhatsApp name: Marie\n"+
		"What we know about the customer (from our records):\n- last_order: 1042\n- tier: VIP"), sys)
	require.NotContains(t, sys, "+33612345678")
	require.NotContains(t, sys, "33612345678")
}

// One agent, a prompt per channel, built from the host's own data.
func TestContextHookPerChannel(t *testing.T) {
	t.Parallel()
	prompts := map[string]string{
		"lyon":  "You answer for Le Fournil in Lyon. Delivery: Lyon and Villeurbanne.",
		"paris": "You answer for Le Fournil in Paris. No delivery; pick-up only.",
	}
	api := newFakeAPI(t, ok(completion(textMessage("OK."), "stop")))
	a := newAgent(t, api, openai.Config{
		Context: func(_ context.Context, req livedesk.AIRequest) (string, error) {
			return prompts[req.ChannelID] + "\n" + openai.DefaultContext(req), nil
		},
	})
	for i, ch := range []string{"lyon", "paris"} {
		req := question("Do you deliver?")
		req.ChannelID, req.ChannelName = ch, "Le Fournil "+ch
		req.Contact = store.Contact{ProfileName: "Marie", Attributes: map[string]string{"tier": "VIP"}}
		_, err := a.Respond(context.Background(), req)
		require.NoError(t, err)
		sys := system(t, api, i)
		require.True(t, strings.HasSuffix(sys, "\n\n"+prompts[ch]+"\nWhatsApp channel: Le Fournil "+ch+
			"\nCustomer's WhatsApp name: Marie\nWhat we know about the customer (from our records):\n- tier: VIP"), sys)
	}
}

func TestContextHookFailures(t *testing.T) {
	tests := []struct {
		name string
		hook func(context.Context, livedesk.AIRequest) (string, error)
		err  string
	}{
		{"an error fails the turn", func(context.Context, livedesk.AIRequest) (string, error) {
			return "", errors.New("CRM unreachable")
		}, "openai: Config.Context: CRM unreachable"},
		{"a panic fails the turn", func(context.Context, livedesk.AIRequest) (string, error) {
			panic("nil CRM client")
		}, "openai: Config.Context panicked: nil CRM client"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			api := newFakeAPI(t, ok(completion(textMessage("OK."), "stop")))
			a := newAgent(t, api, openai.Config{Context: tt.hook})
			got, err := a.Respond(context.Background(), question("Hello"))
			require.EqualError(t, err, tt.err)
			require.Equal(t, livedesk.AIResponse{}, got)
			require.Zero(t, api.Requests(), "no request without the context")
		})
	}
}
