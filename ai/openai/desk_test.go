package openai_test

import (
	"encoding/base64"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/ai/openai"
	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/hours"
	"github.com/livedesk/livedesk/livedesktest"
	"github.com/livedesk/livedesk/store"
	"github.com/livedesk/livedesk/twilio"
)

// deskWithAgent is a harness desk whose channel is answered by an Agent on
// api; mods change the channel.
func deskWithAgent(t *testing.T, api *fakeAPI, cfg openai.Config, opts func(*livedesk.Options), mods ...func(*channel.Channel)) (*livedesktest.Harness, channel.Channel) {
	t.Helper()
	agent := newAgent(t, api, cfg)
	h := livedesktest.New(t, func(o *livedesk.Options) {
		o.AIAgents = map[string]livedesk.AIAgent{"gpt": agent}
		if opts != nil {
			opts(o)
		}
	})
	ch := h.AddChannel(mods...)
	require.NoError(t, h.AddAIAgent(t.Context(), ch.ID, "gpt", true))
	return h, ch
}

// The greeting is recorded after the question that triggered it; the model
// still gets the question last. The desk also passes its clock and the
// channel's business hours.
func TestDeskGreetingThenQuestion(t *testing.T) {
	api := newFakeAPI(t, ok(completion(textMessage("Yes, on Sundays too."), "stop")))
	day := []hours.Range{"09:00-18:00"}
	h, ch := deskWithAgent(t, api, openai.Config{}, nil, func(c *channel.Channel) {
		c.Settings.Greeting = channel.Greeting{Enabled: true, Text: "Hi! Welcome to Le Fournil."}
		c.Settings.Assignment.AutoMessagesWithAI = true
		c.Settings.BusinessHours = hours.BusinessHours{Enabled: true, Week: hours.Week{time.Monday: day, time.Tuesday: day},
			OutOfOfficeMessage: "We are closed."}
	})
	h.Post(ch, livedesktest.Message{Body: "Do you deliver on Sundays?"}) // before Run: both are recorded
	h.Start()
	h.WaitEvents(livedesk.EventAIReplied, 1)
	msgs := messages(t, api.Body(t, 0))
	require.Equal(t, []chat{
		{"assistant", "[automatic message] Hi! Welcome to Le Fournil."},
		{"user", "Do you deliver on Sundays?"},
	}, msgs[1:])
	require.Contains(t, msgs[0].Content, "\nCurrent time: Monday 2026-03-02 10:00 (UTC)\nBusiness hours: open now, until Monday 2026-03-02 18:00 (UTC)")
}

// Messages written while a turn runs are answered next, after that turn's
// answer.
func TestDeskBusy(t *testing.T) {
	arrived, release := make(chan struct{}), make(chan struct{})
	api := newFakeAPI(t,
		func(w http.ResponseWriter, r *http.Request) {
			close(arrived)
			<-release
			ok(completion(textMessage("First answer."), "stop"))(w, r)
		},
		ok(completion(textMessage("Second answer."), "stop")),
	)
	h, ch := deskWithAgent(t, api, openai.Config{}, nil)
	h.Start()
	h.Post(ch, livedesktest.Message{Body: "Do you have croissants?"})
	<-arrived // turn 1 is running
	h.Post(ch, livedesktest.Message{Body: "And pains au chocolat?"})
	h.Post(ch, livedesktest.Message{Body: "For 10 people"})
	close(release)
	h.WaitEvents(livedesk.EventAIReplied, 2)
	require.Equal(t, []chat{
		{"user", "Do you have croissants?"},
		{"assistant", "First answer."},
		{"user", "And pains au chocolat?"},
		{"user", "For 10 people"},
	}, messages(t, api.Body(t, 1))[1:])
}

// The hand-off reason names the timeout that passed: the agent's
// RequestTimeout, not the desk's AITimeout.
func TestDeskTimeoutReason(t *testing.T) {
	api := newFakeAPI(t, block)
	h, ch := deskWithAgent(t, api, openai.Config{RequestTimeout: 100 * time.Millisecond}, nil)
	h.Start()
	h.Post(ch, livedesktest.Message{Body: "Hello"})
	ev := h.WaitEvents(livedesk.EventHandedOff, 1)[0]
	require.Equal(t, "AI agent failed: openai: no answer within 100ms (Config.RequestTimeout): the API is slow or unreachable", ev.Reason)
}

// Tool calls are events, with the turn's whole usage on the reply; only the
// answer reaches the customer.
func TestDeskToolEvents(t *testing.T) {
	api := newFakeAPI(t,
		ok(completion(callsMessage("Let me check.", fnCall{"call_1", "lookup_order", `{"order_id":"1042"}`}), "tool_calls")),
		ok(completion(textMessage("Order 1042 has shipped."), "stop")),
	)
	h, ch := deskWithAgent(t, api, openai.Config{Tools: []openai.Tool{lookupOrder(nil)}}, nil)
	h.Start()
	h.Post(ch, livedesktest.Message{Body: "Where is order 1042?"})
	replied := h.WaitEvents(livedesk.EventAIReplied, 1)[0]
	require.Equal(t, livedesk.AIUsage{PromptTokens: 114, CompletionTokens: 34, TotalTokens: 148}, replied.Usage)
	calls := h.WaitEvents(livedesk.EventAIToolCalled, 1)
	require.Len(t, calls, 1)
	require.Equal(t, &livedesk.AIToolCall{ID: "call_1", Name: "lookup_order", Arguments: `{"order_id":"1042"}`, Result: orders["1042"]}, calls[0].ToolCall)
	require.Equal(t, "gpt", calls[0].AIAgentID)
	require.Equal(t, replied.ConversationID, calls[0].ConversationID)
	h.WaitEvents(livedesk.EventMessageSent, 1)
	var texts []string
	for _, m := range h.Messages(replied.ConversationID) {
		if m.Direction == store.Outbound {
			texts = append(texts, m.Text)
		}
	}
	require.Equal(t, []string{"Order 1042 has shipped."}, texts, "neither the call nor its result is a message")
}

// An inbound photo is fetched from Twilio with the channel's credentials
// and given to a vision model.
func TestDeskImageTurn(t *testing.T) {
	media := livedesktest.NewTwilioMedia(t)
	api := newFakeAPI(t, ok(completion(textMessage("Sorry about that; a colleague will refund you."), "stop")))
	h, ch := deskWithAgent(t, api, openai.Config{Vision: true}, func(o *livedesk.Options) {
		o.MediaFetcher = twilio.NewMediaFetcher(twilio.MediaOptions{HTTPClient: media.Client()})
	})
	url := media.Add(ch.Twilio.AccountSID, ch.Twilio.AuthToken, "image/jpeg", photo)
	h.Start()
	h.Post(ch, livedesktest.Message{Body: "is this cake damaged?", Media: []channel.Media{{URL: url, ContentType: "image/jpeg"}}})
	h.WaitEvents(livedesk.EventAIReplied, 1)
	msgs := messages2(t, api, 0)
	require.Equal(t, map[string]any{"role": "user", "content": []any{
		map[string]any{"type": "text", "text": "[image: image/jpeg] is this cake damaged?"},
		map[string]any{"type": "image_url", "image_url": map[string]any{"url": "data:image/jpeg;base64," + base64.StdEncoding.EncodeToString(photo)}},
	}}, msgs[len(msgs)-1])
	reqs := media.Requests()
	require.Len(t, reqs, 2)
	require.True(t, reqs[0].Auth, "Twilio's media URL gets the channel's credentials")
	require.False(t, reqs[1].Auth, "the CDN does not")
}
