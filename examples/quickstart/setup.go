package main

import (
	"context"
	"strings"
	"time"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/csat"
	"github.com/livedesk/livedesk/hours"
	"github.com/livedesk/livedesk/routing"
	"github.com/livedesk/livedesk/store"
)

// setUp creates the demo's agents and its two channels, each through the
// Confirm step.
func setUp(ctx context.Context, desk *livedesk.Desk, tr *transcript) (support, sales channel.Channel, err error) {
	for _, a := range []store.Agent{
		{ID: "lea", Name: "Léa", Capacity: 2, Status: store.AgentOnline},
		{ID: "marie", Name: "Marie", Capacity: 2, Status: store.AgentOnline},
		{ID: "paul", Name: "Paul", Capacity: 2, Status: store.AgentOnline, Teams: []string{"billing"}},
	} {
		if _, err := desk.CreateAgent(ctx, a); err != nil {
			return support, sales, err
		}
	}
	week := hours.Week{}
	for d := time.Monday; d <= time.Friday; d++ {
		week[d] = []hours.Range{"09:00-18:00"}
	}
	support = channel.Channel{
		Name:   "Demo support",
		Twilio: supportTwilio,
		Settings: channel.Settings{
			Greeting: channel.Greeting{Enabled: true, Text: "Hi! Thanks for writing to Demo support."},
			BusinessHours: hours.BusinessHours{
				Enabled: true, TimeZone: "Europe/Paris", Week: week,
				OutOfOfficeMessage: "We're closed right now. We'll be back {{next_open}} and will answer you then.",
			},
			CSAT: csat.Config{Enabled: true, CommentRequest: "Thanks! Anything we could do better?"},
			Assignment: channel.Assignment{
				Strategy: routing.StrategyLeastLoaded,
				Rules: []routing.Rule{{
					Name: "Refunds",
					When: routing.Condition{TextContainsAny: []string{"refund", "remboursement", "reembolso"}},
					Then: routing.Target{Team: "billing"},
				}},
				Agents:             []string{"lea", "marie", "paul"},
				AIAgents:           []channel.AIAgentRef{{ID: "bot", Enabled: true}},
				AutoMessagesWithAI: true,
			},
		},
	}
	if err := refusedFirst(ctx, desk, tr, support); err != nil {
		return support, sales, err
	}
	if support, err = confirm(ctx, desk, tr, support); err != nil {
		return support, sales, err
	}
	sales, err = confirm(ctx, desk, tr, channel.Channel{
		Name:   "Demo sales",
		Twilio: salesTwilio,
		Settings: channel.Settings{Assignment: channel.Assignment{
			Strategy: routing.StrategyRoundRobin, Agents: []string{"lea", "marie", "paul"},
		}},
	})
	return support, sales, err
}

// scriptedBot is the demo's AI agent: it answers, and hands off when the
// customer asks for a person. A real one is ai/openai's GPT agent.
func scriptedBot() livedesk.AIAgent {
	return livedesk.AIAgentFunc(func(_ context.Context, r livedesk.AIRequest) (livedesk.AIResponse, error) {
		usage := livedesk.AIUsage{PromptTokens: 40 * len(r.History), CompletionTokens: 20}
		usage.TotalTokens = usage.PromptTokens + usage.CompletionTokens
		if text := strings.ToLower(r.Message.Text); strings.Contains(text, "person") || strings.Contains(text, "human") {
			return livedesk.AIResponse{Text: "Sure, I'm passing you to a colleague.", Handoff: true,
				Reason: "the customer asked for a person", Usage: usage}, nil
		}
		return livedesk.AIResponse{Text: "I'm the virtual assistant. Orders ship within 2 days; ask for a person at any time.", Usage: usage}, nil
	})
}

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}
