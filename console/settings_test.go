package console_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/routing"
)

// settingsForm posts a settings form with the channel's current version
// (or the one given) and returns the status and body or redirect.
func (e *env) settingsForm(t *testing.T, path string, version int64, form url.Values) (int, string) {
	t.Helper()
	c := e.client()
	form.Set("csrf_token", e.token(c, "admin"))
	form.Set("version", strconv.FormatInt(version, 10))
	return e.post(c, "admin", "/channels/"+e.ch.ID+path, form)
}

func (e *env) channel(t *testing.T) channel.Channel {
	t.Helper()
	ch, err := e.h.Desk.Channel(context.Background(), e.ch.ID)
	if err != nil {
		t.Fatal(err)
	}
	return ch
}

func TestSettingsConflictShowsAMessageAndChangesNothing(t *testing.T) {
	e := newEnv(t)
	seen := e.channel(t).Version
	// Someone else saves in between.
	other := e.channel(t)
	other.Settings.Greeting = channel.Greeting{Enabled: true, Text: "Theirs"}
	if _, err := e.h.Desk.UpdateChannel(context.Background(), other); err != nil {
		t.Fatal(err)
	}
	code, body := e.settingsForm(t, "/general", seen, url.Values{"name": {"Support"}, "greeting": {"on"}, "greeting_text": {"Mine"}})
	if code != http.StatusConflict || !strings.Contains(body, "Someone else changed this channel") {
		t.Fatalf("stale form: %d, want 409 with the conflict message", code)
	}
	if !strings.Contains(body, "Theirs") {
		t.Error("the page does not show the other user's change")
	}
	if g := e.channel(t).Settings.Greeting; g.Text != "Theirs" {
		t.Errorf("greeting %q after a conflict, want theirs kept", g.Text)
	}
}

func TestSettingsRules(t *testing.T) {
	e := newEnv(t)
	add := func(name, when, kind, target string) {
		t.Helper()
		code, loc := e.settingsForm(t, "/rules", e.channel(t).Version, url.Values{"index": {"-1"}, "rule_name": {name},
			"rule_when": {when}, "rule_target_kind": {kind}, "rule_target": {target}})
		if code != http.StatusSeeOther {
			t.Fatalf("add rule %s: %d %s", name, code, loc)
		}
	}
	add("Billing", "refund, invoice", "team", "billing")
	add("VIP", `{"attribute":{"key":"plan","equals":"vip"}}`, "agent", "alice")
	add("Night", `{"business_hours":"closed"}`, "ai_agent", "bot")
	names := func() string {
		var ns []string
		for _, r := range e.channel(t).Settings.Assignment.Rules {
			ns = append(ns, r.Name)
		}
		return strings.Join(ns, ",")
	}
	if got := names(); got != "Billing,VIP,Night" {
		t.Fatalf("rules %s", got)
	}
	rules := e.channel(t).Settings.Assignment.Rules
	if w := rules[0].When.TextContainsAny; len(w) != 2 || w[0] != "refund" || rules[0].Then != (routing.Target{Team: "billing"}) {
		t.Errorf("keyword rule stored as %+v", rules[0])
	}
	// Move Night up, edit VIP, delete Billing.
	if code, _ := e.settingsForm(t, "/rules/move", e.channel(t).Version, url.Values{"index": {"2"}, "dir": {"up"}}); code != http.StatusSeeOther {
		t.Fatalf("move: %d", code)
	}
	if got := names(); got != "Billing,Night,VIP" {
		t.Fatalf("after moving: %s", got)
	}
	code, _ := e.settingsForm(t, "/rules", e.channel(t).Version, url.Values{"index": {"2"}, "rule_name": {"VIP+"},
		"rule_when": {"gold"}, "rule_target_kind": {"team"}, "rule_target": {"vip"}})
	if code != http.StatusSeeOther || names() != "Billing,Night,VIP+" {
		t.Fatalf("edit: %d, rules %s", code, names())
	}
	if code, _ := e.settingsForm(t, "/rules/delete", e.channel(t).Version, url.Values{"index": {"0"}}); code != http.StatusSeeOther {
		t.Fatalf("delete: %d", code)
	}
	if got := names(); got != "Night,VIP+" {
		t.Fatalf("after deleting: %s", got)
	}
	// Bad rules are refused with the reason, and change nothing.
	before := e.channel(t).Version
	for _, tc := range []struct{ name, when, kind, target, want string }{
		{"Typo", `{"text_contain":["x"]}`, "team", "x", "text_contains_any"},
		{"Ghost", "x", "agent", "nobody", "does not exist"},
		{"Bot", "x", "ai_agent", "nobot", "not in Options.AIAgents"},
		{"", "x", "team", "x", "name"},
	} {
		code, body := e.settingsForm(t, "/rules", before, url.Values{"index": {"-1"}, "rule_name": {tc.name},
			"rule_when": {tc.when}, "rule_target_kind": {tc.kind}, "rule_target": {tc.target}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, tc.want) {
			t.Errorf("rule %q: %d, want 422 mentioning %q", tc.name, code, tc.want)
		}
	}
	if e.channel(t).Version != before {
		t.Error("a refused rule changed the channel")
	}
}

func TestSettingsMembersAndAIAgents(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	tok := e.token(c, "admin")
	post := func(path string, f url.Values) int {
		f.Set("csrf_token", tok)
		code, _ := e.post(c, "admin", "/channels/"+e.ch.ID+path, f)
		return code
	}
	if code := post("/agents", url.Values{"op": {"add"}, "agent": {"bob"}}); code != http.StatusSeeOther {
		t.Fatalf("add bob: %d", code)
	}
	if !e.channel(t).Settings.Assignment.HasAgent("bob") {
		t.Fatal("bob is not a member")
	}
	if code := post("/agents", url.Values{"op": {"remove"}, "agent": {"alice"}}); code != http.StatusSeeOther {
		t.Fatalf("remove alice: %d", code)
	}
	if e.channel(t).Settings.Assignment.HasAgent("alice") {
		t.Fatal("alice is still a member")
	}
	if code := post("/ai", url.Values{"op": {"enable"}, "ai": {"bot"}}); code != http.StatusSeeOther || e.channel(t).Settings.Assignment.EnabledAI() != "bot" {
		t.Fatalf("enable bot: %d, enabled %q", code, e.channel(t).Settings.Assignment.EnabledAI())
	}
	if code := post("/ai", url.Values{"op": {"disable"}, "ai": {"bot"}}); code != http.StatusSeeOther || e.channel(t).Settings.Assignment.EnabledAI() != "" {
		t.Fatalf("disable bot: %d", code)
	}
	if code := post("/ai", url.Values{"op": {"enable"}, "ai": {"skynet"}}); code != http.StatusUnprocessableEntity {
		t.Errorf("unknown AI agent: %d, want 422", code)
	}
	// Strategy.
	code, _ := e.settingsForm(t, "/assignment", e.channel(t).Version, url.Values{"strategy": {"round_robin"}, "sticky": {"on"}})
	if a := e.channel(t).Settings.Assignment; code != http.StatusSeeOther || a.Strategy != routing.StrategyRoundRobin || !a.Sticky {
		t.Errorf("assignment: %d %+v", code, a)
	}
}

func TestSettingsCredentialsAreWriteOnly(t *testing.T) {
	e := newEnv(t)
	before := e.channel(t).Twilio
	// Empty fields keep the stored tokens.
	if code, _ := e.settingsForm(t, "/credentials", e.channel(t).Version, url.Values{}); code != http.StatusSeeOther {
		t.Fatalf("empty credentials form: %d", code)
	}
	if after := e.channel(t).Twilio; after.AuthToken != before.AuthToken {
		t.Fatal("an empty field changed the Auth Token")
	}
	code, _ := e.settingsForm(t, "/credentials", e.channel(t).Version, url.Values{"secondary_auth_token": {"abcdefabcdefabcdefabcdefabcdef12"}})
	if code != http.StatusSeeOther || e.channel(t).Twilio.SecondaryAuthToken != "abcdefabcdefabcdefabcdefabcdef12" {
		t.Fatalf("secondary token: %d", code)
	}
	_, body := e.get(e.client(), "admin", "/channels/"+e.ch.ID)
	if strings.Contains(body, "abcdefabcdefabcdefabcdefabcdef12") || strings.Contains(body, string(before.AuthToken)) {
		t.Error("the settings page shows a token")
	}
}
