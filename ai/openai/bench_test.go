package openai

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	sdk "github.com/openai/openai-go/v3"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/store"
)

// benchRequest is a 40-message conversation mixing text, media and agent
// replies.
func benchRequest() livedesk.AIRequest {
	var history []store.Message
	for i := range 20 {
		in := store.Message{ID: fmt.Sprint("in", i), Direction: store.Inbound, Text: "Do you have gluten-free bread today?"}
		if i%5 == 0 {
			in.Inbound = &channel.Inbound{Type: channel.TypeImage, Media: []channel.Media{{URL: "https://api.twilio.com/ME1", ContentType: "image/jpeg"}}}
		}
		kind := store.KindAI
		if i%4 == 0 {
			kind = store.KindReply
		}
		out := store.Message{ID: fmt.Sprint("out", i), Direction: store.Outbound, Kind: kind, Status: store.DeliveryRead,
			Text: "Yes, we bake a gluten-free loaf every morning; it is usually sold out by noon."}
		history = append(history, in, out)
	}
	return livedesk.AIRequest{ChannelName: "Le Fournil", History: history, Message: history[len(history)-2]}
}

func BenchmarkParams(b *testing.B) {
	a, err := NewAgent(Config{APIKey: "sk-bench", SystemPrompt: strings.Repeat("Knowledge. ", 200)})
	if err != nil {
		b.Fatal(err)
	}
	req := benchRequest()
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := a.params(ctx, req); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkInterpret(b *testing.B) {
	long := strings.Repeat("Our **croissants** are baked every morning with French butter. ", 40)
	raw := fmt.Sprintf(`{"id":"x","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":%q,"refusal":null},"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}`, long)
	cc := unmarshalCompletion(b, raw)
	a, err := NewAgent(Config{APIKey: "sk-bench"})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		_, _ = a.interpret(cc)
	}
}

func BenchmarkFit(b *testing.B) {
	long := strings.Repeat("Our croissants are baked every morning with French butter. ", 60)
	b.ReportAllocs()
	for b.Loop() {
		_ = fit(long, channel.MaxTextLength)
	}
}

// BenchmarkRespond is a whole turn against a loopback server: building the
// request, the SDK's encoding and decoding, interpreting the answer.
func BenchmarkRespond(b *testing.B) {
	body := `{"id":"chatcmpl-1","object":"chat.completion","created":1741569952,"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"We open at 7:00.","refusal":null},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":412,"completion_tokens":14,"total_tokens":426}}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, body)
	}))
	defer srv.Close()
	a, err := NewAgent(Config{APIKey: "sk-bench", BaseURL: srv.URL + "/v1", HTTPClient: srv.Client()})
	if err != nil {
		b.Fatal(err)
	}
	req := benchRequest()
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := a.Respond(ctx, req); err != nil {
			b.Fatal(err)
		}
	}
}

func unmarshalCompletion(b *testing.B, raw string) *sdk.ChatCompletion {
	b.Helper()
	var c sdk.ChatCompletion
	if err := json.Unmarshal([]byte(raw), &c); err != nil {
		b.Fatal(err)
	}
	return &c
}
