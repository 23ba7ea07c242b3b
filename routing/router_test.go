package routing

import (
	"encoding/json"
	"strings"
	"sync"
	"testing"
)

func mustCompile(tb testing.TB, rules ...Rule) *Router {
	tb.Helper()
	r, err := Compile(rules)
	if err != nil {
		tb.Fatalf("Compile: %v", err)
	}
	return r
}

func TestRoutePriority(t *testing.T) {
	rules := []Rule{
		{Name: "Refunds", When: Condition{TextContainsAny: []string{"refund"}}, Then: Target{Team: "billing"}},
		{Name: "French", When: Condition{Country: []string{"FR"}}, Then: Target{Agent: "u_fr"}},
		{Name: "Also refunds", When: Condition{TextContainsAny: []string{"refund"}}, Then: Target{Agent: "u_never"}},
		{Name: "Bot menu", When: Condition{ButtonPayloadPrefix: "bot:"}, Then: Target{AIAgent: "menu-bot"}},
	}
	r := mustCompile(t, rules...)
	tests := []struct {
		name   string
		router *Router
		in     Input
		ai     string
		want   Decision
		reason string
	}{
		{"first matching rule wins over later matching rules", r, Input{Text: "refund", ContactCountry: "FR"}, "gpt",
			Decision{By: DecidedByRule, Rule: "Refunds", Index: 0, Target: Target{Team: "billing"}}, `rule "Refunds"`},
		{"a later rule matches when earlier ones do not", r, Input{Text: "bonjour", ContactCountry: "FR"}, "gpt",
			Decision{By: DecidedByRule, Rule: "French", Index: 1, Target: Target{Agent: "u_fr"}}, `rule "French"`},
		{"a rule can target an AI agent", r, Input{ButtonPayload: "bot:start"}, "",
			Decision{By: DecidedByRule, Rule: "Bot menu", Index: 3, Target: Target{AIAgent: "menu-bot"}}, `rule "Bot menu"`},
		{"no rule: the enabled AI agent takes it", r, Input{Text: "hello"}, "gpt",
			Decision{By: DecidedByAI, Index: -1, Target: Target{AIAgent: "gpt"}}, "AI agent gpt"},
		{"no rule and no AI agent: human pool", r, Input{Text: "hello"}, "",
			Decision{By: DecidedByPool, Index: -1}, "human pool"},
		{"nil router: AI agent", nil, Input{Text: "refund"}, "gpt",
			Decision{By: DecidedByAI, Index: -1, Target: Target{AIAgent: "gpt"}}, "AI agent gpt"},
		{"nil router: pool", nil, Input{Text: "refund"}, "",
			Decision{By: DecidedByPool, Index: -1}, "human pool"},
		{"empty router: pool", mustCompile(t), Input{Text: "refund"}, "",
			Decision{By: DecidedByPool, Index: -1}, "human pool"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.router.Route(tt.in, tt.ai)
			if got != tt.want {
				t.Errorf("Route = %+v, want %+v", got, tt.want)
			}
			if got.Reason() != tt.reason {
				t.Errorf("Reason = %q, want %q", got.Reason(), tt.reason)
			}
		})
	}
}

func TestDecisionJSONRoundTrip(t *testing.T) {
	for _, d := range []Decision{
		{By: DecidedByRule, Rule: "Refunds", Index: 2, Target: Target{Team: "billing"}},
		{By: DecidedByAI, Index: -1, Target: Target{AIAgent: "gpt"}},
		{By: DecidedByPool, Index: -1},
	} {
		out, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		var back Decision
		if err := json.Unmarshal(out, &back); err != nil || back != d {
			t.Errorf("round trip of %+v via %s = %+v, %v", d, out, back, err)
		}
	}
}

func TestRouterLen(t *testing.T) {
	var nilRouter *Router
	if nilRouter.Len() != 0 {
		t.Errorf("nil Router Len = %d, want 0", nilRouter.Len())
	}
	r := mustCompile(t, Rule{Name: "a", When: Condition{Contact: ContactNew}, Then: Target{Team: "t"}})
	if r.Len() != 1 {
		t.Errorf("Len = %d, want 1", r.Len())
	}
}

func TestRouteLongTextAndName(t *testing.T) {
	long := strings.Repeat("blah ", 300) + "REFUND"
	r := mustCompile(t,
		Rule{Name: "name", When: Condition{ProfileNameContains: []string{"zed"}}, Then: Target{Team: "n"}},
		Rule{Name: "text", When: Condition{TextContainsAny: []string{"refund"}}, Then: Target{Team: "t"}},
	)
	if d := r.Route(Input{Text: long, ProfileName: strings.Repeat("x", 200) + " Zed"}, ""); d.Rule != "name" {
		t.Errorf("long profile name: decided by %s, want rule name", d.Reason())
	}
	if d := r.Route(Input{Text: long}, ""); d.Rule != "text" {
		t.Errorf("long text: decided by %s, want rule text", d.Reason())
	}
}

func TestCompileCopiesRules(t *testing.T) {
	rules := []Rule{{Name: "r", When: Condition{TextContainsAny: []string{"refund"}}, Then: Target{Team: "t"}}}
	r := mustCompile(t, rules...)
	rules[0].Name = "changed"
	rules[0].When.TextContainsAny[0] = "other"
	rules[0].Then.Team = "changed"
	d := r.Route(Input{Text: "refund"}, "")
	if d.Rule != "r" || d.Target.Team != "t" {
		t.Errorf("Route after changing the source rules = %+v, want the compiled rule unchanged", d)
	}
}

func TestRouteConcurrent(t *testing.T) {
	r := benchRules(t)
	want := r.Route(benchInput, "")
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 200 {
				if got := r.Route(benchInput, ""); got != want {
					t.Errorf("concurrent Route = %+v, want %+v", got, want)
					return
				}
			}
		})
	}
	wg.Wait()
}

func TestRouteDoesNotAllocate(t *testing.T) {
	r := benchRules(t)
	allocs := testing.AllocsPerRun(100, func() { _ = r.Route(benchInput, "gpt") })
	if allocs != 0 {
		t.Errorf("Route allocated %v times per call, want 0", allocs)
	}
}

func TestTargetKindAndString(t *testing.T) {
	tests := []struct {
		target Target
		kind   TargetKind
		str    string
	}{
		{Target{Agent: "u1"}, TargetAgent, `agent "u1"`},
		{Target{Team: "billing"}, TargetTeam, `team "billing"`},
		{Target{AIAgent: "gpt"}, TargetAIAgent, `AI agent "gpt"`},
		{Target{}, TargetNone, "none"},
	}
	for _, tt := range tests {
		t.Run(string(tt.kind), func(t *testing.T) {
			if tt.target.Kind() != tt.kind || tt.target.String() != tt.str {
				t.Errorf("Kind, String = %q, %q; want %q, %q", tt.target.Kind(), tt.target.String(), tt.kind, tt.str)
			}
		})
	}
}

func TestUsesCountry(t *testing.T) {
	var nilRouter *Router
	if nilRouter.UsesCountry() {
		t.Fatal("nil router")
	}
	plain, err := Compile([]Rule{{Name: "a", When: Condition{TextContainsAny: []string{"x"}}, Then: Target{Team: "t"}}})
	if err != nil || plain.UsesCountry() {
		t.Fatalf("no country rule: %v %v", err, plain.UsesCountry())
	}
	nested, err := Compile([]Rule{{Name: "b", When: All(Condition{TextContainsAny: []string{"x"}}, Not(Condition{Country: []string{"FR"}})), Then: Target{Team: "t"}}})
	if err != nil || !nested.UsesCountry() {
		t.Fatalf("nested country rule: %v %v", err, nested.UsesCountry())
	}
}
