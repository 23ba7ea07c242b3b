package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/ai/openai"
	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/hours"
	"github.com/livedesk/livedesk/routing"
	"github.com/livedesk/livedesk/store"
)

const usage = `gptagent shows LiveDesk's OpenAI agent answering one scripted WhatsApp turn, without Twilio.

Environment:
  OPENAI_API_KEY       an OpenAI API key (https://platform.openai.com/api-keys); without it the
                       program talks to a scripted local fake of the API
  OPENAI_MODEL         the chat model (default gpt-4o-mini)
  OPENAI_BASE_URL      an OpenAI-compatible endpoint (Azure OpenAI's v1 API, a local server)
  LIVEDESK_PUBLIC_URL  where Twilio would reach the desk (default http://127.0.0.1:8080/livedesk)
  TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_WHATSAPP_FROM
                       also create a WhatsApp channel that uses the agent and print its webhook URL

  go run ./examples/gptagent ["the customer's question"]
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Getenv, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "gptagent:", err)
		os.Exit(1)
	}
}

// run wires an agent into a desk and runs one turn, against the API when
// OPENAI_API_KEY is set and against a scripted local fake otherwise.
func run(ctx context.Context, getenv func(string) string, args []string, out io.Writer) error {
	if len(args) > 0 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
		fmt.Fprint(out, usage)
		return nil
	}
	key, baseURL := getenv("OPENAI_API_KEY"), getenv("OPENAI_BASE_URL")
	if key == "" {
		api := startFakeAPI()
		defer api.Close()
		key, baseURL = "sk-fake", api.URL+"/v1"
		fmt.Fprintln(out, "No OPENAI_API_KEY: using a scripted local fake of the Chat Completions API (go run ./examples/gptagent -h).")
	}
	s := newShop()
	agent, err := openai.NewAgent(openai.Config{
		APIKey:          key,
		Model:           getenv("OPENAI_MODEL"),
		BaseURL:         baseURL,
		Teams:           []string{"orders", "billing"},
		Context:         s.context,                     // a prompt per channel, with the host's data
		Tools:           []openai.Tool{s.lookupTool()}, // the host's order lookup
		MaxOutputTokens: 400,                           // a WhatsApp answer, not an essay
		Vision:          true,                          // gpt-4o-mini sees images
	})
	if err != nil {
		return err
	}
	if err := wire(ctx, getenv, agent, out); err != nil {
		return err
	}
	return turn(ctx, agent, s, strings.Join(args, " "), out)
}

// wire adds the agent to a desk, and to a channel when Twilio credentials
// are in the environment. This program serves nothing: examples/quickstart
// -listen shows a desk on a real server.
func wire(ctx context.Context, getenv func(string) string, agent *openai.Agent, out io.Writer) error {
	publicURL := getenv("LIVEDESK_PUBLIC_URL")
	if publicURL == "" {
		publicURL = "http://127.0.0.1:8080/livedesk"
	}
	desk, err := livedesk.New(livedesk.Options{
		PublicURL: publicURL,
		AIAgents:  map[string]livedesk.AIAgent{"gpt": agent},
		AITimeout: 30 * time.Second, // above the agent's RequestTimeout (20 s)
	})
	if err != nil {
		return err
	}
	sid, token, from := getenv("TWILIO_ACCOUNT_SID"), getenv("TWILIO_AUTH_TOKEN"), getenv("TWILIO_WHATSAPP_FROM")
	if sid == "" || token == "" || from == "" {
		fmt.Fprintln(out, `Desk ready with AI agent "gpt" (set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_WHATSAPP_FROM to give it a channel).`)
		return nil
	}
	ch, err := desk.CreateChannel(ctx, channel.Channel{
		Name: "Le Fournil",
		Twilio: channel.Twilio{
			AccountSID:  sid,
			AuthToken:   channel.Secret(token),
			PhoneNumber: strings.TrimPrefix(from, "whatsapp:"),
		},
	})
	if err != nil {
		return err
	}
	if err := desk.AddAIAgent(ctx, ch.ID, "gpt", true); err != nil {
		return err
	}
	fmt.Fprintf(out, "Channel %q answers with AI agent \"gpt\"; its Twilio webhook would be %s\n", ch.Name, desk.WebhookURL(ch.ID))
	return nil
}

// bakeryHours are the Lyon channel's business hours.
var bakeryHours = hours.BusinessHours{
	Enabled:  true,
	TimeZone: "Europe/Paris",
	Week: hours.Week{
		time.Tuesday: {"07:00-19:00"}, time.Wednesday: {"07:00-19:00"}, time.Thursday: {"07:00-19:00"},
		time.Friday: {"07:00-19:00"}, time.Saturday: {"07:00-19:00"}, time.Sunday: {"07:00-13:00"},
	},
}

// turn asks the agent to answer a short scripted conversation, ending with
// question (or a default one), and prints what the desk would do.
func turn(ctx context.Context, agent *openai.Agent, s *shop, question string, out io.Writer) error {
	if question == "" {
		question = "Hi! Where is my order 1042? Will it be there on Saturday?"
	}
	sched, err := bakeryHours.Compile()
	if err != nil {
		return err
	}
	now := time.Now()
	at := func(min int) time.Time { return now.Add(time.Duration(min-10) * time.Minute) }
	history := []store.Message{
		{ID: "1", Direction: store.Outbound, Kind: store.KindGreeting, Status: store.DeliveryRead, CreatedAt: at(0),
			Text: "Hi! Welcome to Le Fournil. How can we help?"},
		{ID: "2", Direction: store.Inbound, Kind: store.KindCustomer, CreatedAt: at(1), Text: "Are you open on Mondays?"},
		{ID: "3", Direction: store.Outbound, Kind: store.KindAI, Status: store.DeliveryRead, CreatedAt: at(2), Key: "ai:2",
			Text: "We are closed on Mondays; we open Tuesday to Saturday 7:00-19:00 and Sunday 7:00-13:00."},
		{ID: "4", Direction: store.Inbound, Kind: store.KindCustomer, CreatedAt: at(3), Text: question},
	}
	req := livedesk.AIRequest{
		AIAgentID:     "gpt",
		ChannelID:     "lyon",
		ChannelName:   "Le Fournil Lyon",
		Contact:       store.Contact{ID: "contact-1", Phone: "+33612345678", ProfileName: "Marie", Attributes: map[string]string{"tier": "VIP", "customer_since": "2019"}},
		History:       history,
		Message:       history[len(history)-1],
		Now:           now,
		BusinessHours: sched,
	}
	extra, err := s.context(ctx, req)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "\nContext the prompt hook adds to the system message:\n  %s\n", strings.ReplaceAll(extra, "\n", "\n  "))
	fmt.Fprintln(out, "\nConversation:")
	for _, m := range history {
		who := "customer"
		if m.Direction == store.Outbound {
			who = "desk (" + string(m.Kind) + ")"
		}
		fmt.Fprintf(out, "  %-18s %s\n", who+":", m.Text)
	}

	start := time.Now()
	resp, err := agent.Respond(ctx, req)
	elapsed := time.Since(start).Round(time.Millisecond)
	for _, c := range resp.ToolCalls {
		result := c.Result
		if c.Error != "" {
			result = "error: " + c.Error
		}
		fmt.Fprintf(out, "\nTool call (not sent to the customer): %s(%s)\n  -> %s\n", c.Name, c.Arguments, result)
	}
	if err != nil {
		fmt.Fprintf(out, "\nThe agent failed after %v; the desk would hand the conversation to humans with the reason:\n  AI agent failed: %v\n", elapsed, err)
		if errors.Is(err, openai.ErrTimeout) {
			fmt.Fprintln(out, "  (no answer within the agent's RequestTimeout)")
		}
		return errors.New("the agent got no answer from the API (see above)")
	}
	if resp.Text != "" {
		fmt.Fprintf(out, "\nAI agent answers (%d characters, %v):\n  %s\n", utf8.RuneCountInString(resp.Text), elapsed,
			strings.ReplaceAll(resp.Text, "\n", "\n  "))
	}
	if resp.Handoff {
		target := resp.Target.String()
		if resp.Target.Kind() == routing.TargetNone {
			target = "the channel's pool"
		}
		fmt.Fprintf(out, "\nAI agent hands off to %s: %s\n", target, resp.Reason)
	}
	fmt.Fprintf(out, "\nTokens for the whole turn: %d prompt + %d completion = %d\n", resp.Usage.PromptTokens, resp.Usage.CompletionTokens, resp.Usage.TotalTokens)
	return nil
}
