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
	"github.com/livedesk/livedesk/routing"
	"github.com/livedesk/livedesk/store"
)

const usage = `gptagent shows LiveDesk's OpenAI agent answering one scripted WhatsApp turn, without Twilio.

It needs, in the environment:
  OPENAI_API_KEY       an OpenAI API key (https://platform.openai.com/api-keys)
Optionally:
  OPENAI_MODEL         the chat model (default gpt-4o-mini)
  OPENAI_BASE_URL      an OpenAI-compatible endpoint (Azure OpenAI's v1 API, a local server)
  LIVEDESK_PUBLIC_URL  where Twilio would reach the desk (default http://127.0.0.1:8080/livedesk)
  TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_WHATSAPP_FROM
                       also create a WhatsApp channel that uses the agent and print its webhook URL

  OPENAI_API_KEY=sk-... go run ./examples/gptagent ["the customer's question"]
`

// prompt is the business's knowledge, as Config.SystemPrompt.
const prompt = `You answer WhatsApp messages for Le Fournil, a bakery at 3 rue de la République, Lyon.
Opening hours: Tuesday to Sunday, 7:00-19:00; closed on Mondays.
Delivery: Lyon and Villeurbanne only, 3 euros, orders before 11:00 are delivered the same afternoon.
Custom cakes: order at least 48 hours ahead; from 25 euros for 6 people; the orders team confirms every custom order.
Refunds and invoices are handled by the billing team.`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Getenv, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "gptagent:", err)
		os.Exit(1)
	}
}

// run wires an agent into a desk and runs one turn; without an API key it
// only explains what it needs.
func run(ctx context.Context, getenv func(string) string, args []string, out io.Writer) error {
	key := getenv("OPENAI_API_KEY")
	if key == "" {
		fmt.Fprint(out, usage)
		return nil
	}
	agent, err := openai.NewAgent(openai.Config{
		APIKey:       key,
		Model:        getenv("OPENAI_MODEL"),
		BaseURL:      getenv("OPENAI_BASE_URL"),
		SystemPrompt: prompt,
		Teams:        []string{"orders", "billing"},
	})
	if err != nil {
		return err
	}
	if err := wire(ctx, getenv, agent, out); err != nil {
		return err
	}
	return turn(ctx, agent, strings.Join(args, " "), out)
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

// turn asks the agent to answer a short scripted conversation, ending with
// question (or a default one), and prints what the desk would do.
func turn(ctx context.Context, agent *openai.Agent, question string, out io.Writer) error {
	if question == "" {
		question = "Can I get a chocolate cake for 10 people delivered to Villeurbanne on Saturday?"
	}
	now := time.Now()
	at := func(min int) time.Time { return now.Add(time.Duration(min-10) * time.Minute) }
	history := []store.Message{
		{ID: "1", Direction: store.Outbound, Kind: store.KindGreeting, Status: store.DeliveryRead, CreatedAt: at(0),
			Text: "Hi! Welcome to Le Fournil. How can we help?"},
		{ID: "2", Direction: store.Inbound, Kind: store.KindCustomer, CreatedAt: at(1), Text: "Are you open on Mondays?"},
		{ID: "3", Direction: store.Outbound, Kind: store.KindAI, Status: store.DeliveryRead, CreatedAt: at(2),
			Text: "We are closed on Mondays; we open Tuesday to Sunday, 7:00-19:00."},
		{ID: "4", Direction: store.Inbound, Kind: store.KindCustomer, CreatedAt: at(3), Text: "This is the kind of cake I mean",
			Inbound: &channel.Inbound{Type: channel.TypeImage, Body: "This is the kind of cake I mean",
				Media: []channel.Media{{URL: "https://api.twilio.com/2010-04-01/Accounts/AC.../Media/ME...", ContentType: "image/jpeg"}}}},
		{ID: "5", Direction: store.Inbound, Kind: store.KindCustomer, CreatedAt: at(4), Text: question},
	}
	req := livedesk.AIRequest{
		AIAgentID:   "gpt",
		ChannelID:   "demo",
		ChannelName: "Le Fournil",
		Contact:     store.Contact{ID: "contact-1", Phone: "+33612345678", ProfileName: "Marie"},
		History:     history,
		Message:     history[len(history)-1],
	}
	fmt.Fprintln(out, "\nConversation:")
	for _, m := range history {
		who := "customer"
		if m.Direction == store.Outbound {
			who = "desk (" + string(m.Kind) + ")"
		}
		text := m.Text
		if m.Inbound != nil && len(m.Inbound.Media) > 0 {
			text = "[" + m.Inbound.Media[0].ContentType + "] " + text
		}
		fmt.Fprintf(out, "  %-18s %s\n", who+":", text)
	}

	start := time.Now()
	resp, err := agent.Respond(ctx, req)
	elapsed := time.Since(start).Round(time.Millisecond)
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
	fmt.Fprintf(out, "\nTokens: %d prompt + %d completion = %d\n", resp.Usage.PromptTokens, resp.Usage.CompletionTokens, resp.Usage.TotalTokens)
	return nil
}
