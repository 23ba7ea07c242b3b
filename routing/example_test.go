package routing_test

import (
	"fmt"
	"time"

	"github.com/livedesk/livedesk/routing"
)

// Rules stored as JSON by the host app are decoded once, compiled once, and then route every
// inbound message.
func ExampleDecodeRules() {
	rules, err := routing.DecodeRules([]byte(`[
	  {"name": "Refunds FR",
	   "when": {"all": [
	     {"text_contains_any": ["refund", "remboursement", "rembourse"]},
	     {"country": ["FR", "BE"]},
	     {"not": {"business_hours": "closed"}}]},
	   "then": {"team": "billing"}},
	  {"name": "VIP", "when": {"attribute": {"key": "plan", "equals": "gold"}}, "then": {"agent": "u_42"}}
	]`))
	if err != nil {
		fmt.Println(err)
		return
	}
	router, err := routing.Compile(rules)
	if err != nil {
		fmt.Println(err)
		return
	}

	msg := routing.Input{
		ChannelID:      "ch_main",
		Text:           "Je veux être REMBOURSÉ !",
		MessageType:    routing.MessageText,
		ContactCountry: "FR",
		Open:           true,
	}
	d := router.Route(msg, "gpt")
	fmt.Println(d.Reason(), "->", d.Target)

	msg.Text = "Bonjour"
	fmt.Println(router.Route(msg, "gpt").Reason())
	fmt.Println(router.Route(msg, "").Reason())
	// Output:
	// rule "Refunds FR" -> team "billing"
	// AI agent gpt
	// human pool
}

// A mistyped rule is rejected with the place of the mistake, ready to show to the admin who typed it.
func ExampleDecodeRules_error() {
	_, err := routing.DecodeRules([]byte(`[
	  {"name": "Refunds", "when": {"all": [{"country": ["FR"]}, {"text_contain": ["refund"]}]}, "then": {"team": "billing"}}
	]`))
	fmt.Println(err)
	// Output:
	// routing: rules[0].when.all[1]: unknown field "text_contain"; did you mean "text_contains_any"?
}

// Rules can also be written in Go, for example in a host app's tests.
func ExampleCompile() {
	router, err := routing.Compile([]routing.Rule{{
		Name: "Media after hours",
		When: routing.All(
			routing.Condition{MessageType: []string{routing.MessageImage, routing.MessageDocument}},
			routing.Condition{BusinessHours: routing.HoursClosed},
		),
		Then: routing.Target{AIAgent: "triage-bot"},
	}})
	if err != nil {
		fmt.Println(err)
		return
	}
	d := router.Route(routing.Input{MessageType: routing.MessageImage, Open: false}, "")
	fmt.Printf("%s %s %s\n", d.By, d.Rule, d.Target)
	// Output:
	// rule Media after hours AI agent "triage-bot"
}

// The desk picks an agent with the channel's strategy, claims it atomically, and falls back to
// the next candidate of Rank when the claim fails.
func ExampleParseStrategy() {
	assigner, err := routing.ParseStrategy("least_loaded")
	if err != nil {
		fmt.Println(err)
		return
	}
	now := time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)
	agents := []routing.Candidate{
		{ID: "alice", Open: 3, Capacity: 4, Online: true, LastAssigned: now.Add(-time.Minute)},
		{ID: "bob", Open: 1, Capacity: 4, Online: true, LastAssigned: now.Add(-2 * time.Minute)},
		{ID: "carol", Open: 0, Capacity: 4, Online: false},
		{ID: "dave", Open: 2, Capacity: 2, Online: true},
	}
	if best, ok := assigner.Pick(agents, ""); ok {
		fmt.Println("pick:", best.ID)
	}
	for _, c := range assigner.Rank(agents, "") {
		fmt.Println("fallback order:", c.ID)
	}
	// Output:
	// pick: bob
	// fallback order: bob
	// fallback order: alice
}

// Round robin continues after the agent who got the previous conversation.
func ExampleRoundRobin() {
	agents := []routing.Candidate{
		{ID: "alice", Online: true},
		{ID: "bob", Online: false},
		{ID: "carol", Online: true},
	}
	cursor := "alice"
	for range 3 {
		c, _ := routing.RoundRobin{}.Pick(agents, cursor)
		fmt.Println(c.ID)
		cursor = c.ID
	}
	// Output:
	// carol
	// alice
	// carol
}
