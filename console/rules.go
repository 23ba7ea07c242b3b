package console

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/routing"
)

// ruleRow is one routing rule as the settings page shows and edits it: the
// condition as JSON (the rule language of package routing), or as plain
// keywords for the common case.
type ruleRow struct {
	Index      int
	Name       string
	When       string
	TargetKind string
	Target     string
}

func newRuleRow(i int, r routing.Rule) ruleRow {
	when, _ := json.Marshal(r.When)
	row := ruleRow{Index: i, Name: r.Name, When: string(when), TargetKind: string(r.Then.Kind())}
	switch r.Then.Kind() {
	case routing.TargetAgent:
		row.Target = r.Then.Agent
	case routing.TargetTeam:
		row.Target = r.Then.Team
	case routing.TargetAIAgent:
		row.Target = r.Then.AIAgent
	}
	return row
}

// Summary is the rule's condition for people: its keywords when it is a
// plain keyword rule, else its JSON.
func (r ruleRow) Summary() string {
	var c routing.Condition
	if err := json.Unmarshal([]byte(r.When), &c); err == nil && len(c.TextContainsAny) > 0 {
		if b, _ := json.Marshal(routing.Condition{TextContainsAny: c.TextContainsAny}); string(b) == r.When {
			return "message mentions " + strings.Join(c.TextContainsAny, ", ")
		}
	}
	return r.When
}

// readRule reads the rule editor. A condition not starting with "{" is a
// comma-separated keyword list (text_contains_any).
func readRule(r *http.Request) (routing.Rule, error) {
	rule := routing.Rule{Name: strings.TrimSpace(r.PostFormValue("rule_name"))}
	when := strings.TrimSpace(r.PostFormValue("rule_when"))
	if strings.HasPrefix(when, "{") {
		if err := json.Unmarshal([]byte(when), &rule.When); err != nil {
			return rule, formError{"rule_when", strings.TrimPrefix(err.Error(), "routing: ")}
		}
	} else {
		for _, w := range strings.Split(when, ",") {
			if w = strings.TrimSpace(w); w != "" {
				rule.When.TextContainsAny = append(rule.When.TextContainsAny, w)
			}
		}
		if len(rule.When.TextContainsAny) == 0 {
			return rule, formError{"rule_when", "write keywords (refund, invoice) or a JSON condition"}
		}
	}
	target := strings.TrimSpace(r.PostFormValue("rule_target"))
	switch routing.TargetKind(r.PostFormValue("rule_target_kind")) {
	case routing.TargetAgent:
		rule.Then.Agent = target
	case routing.TargetAIAgent:
		rule.Then.AIAgent = target
	default:
		rule.Then.Team = target
	}
	if target == "" {
		return rule, formError{"rule_target", "say who gets the conversation"}
	}
	return rule, nil
}

// ruleIndex reads the "index" field: -1 for a new rule, else an existing one.
func ruleIndex(r *http.Request, ch *channel.Channel, allowNew bool) (int, error) {
	i, err := strconv.Atoi(r.PostFormValue("index"))
	n := len(ch.Settings.Assignment.Rules)
	if err != nil || i >= n || i < -1 || (i == -1 && !allowNew) {
		return 0, formError{"rules", "that rule no longer exists; reload the page"}
	}
	return i, nil
}

// applyRule adds a rule at the end or replaces one in place.
func applyRule(r *http.Request, ch *channel.Channel) (string, int, error) {
	i, err := ruleIndex(r, ch, true)
	if err != nil {
		return "", -1, err
	}
	rule, err := readRule(r)
	rules := &ch.Settings.Assignment.Rules
	if i == -1 {
		*rules = append(*rules, rule)
		i = len(*rules) - 1
	} else {
		(*rules)[i] = rule
	}
	if err != nil {
		return "", i, err
	}
	return "Rule “" + rule.Name + "” saved.", i, nil
}

// applyRuleMove moves a rule one place up or down (rules are tried in
// order; the first match wins).
func applyRuleMove(r *http.Request, ch *channel.Channel) (string, int, error) {
	i, err := ruleIndex(r, ch, false)
	if err != nil {
		return "", -1, err
	}
	j := i + 1
	if r.PostFormValue("dir") == "up" {
		j = i - 1
	}
	rules := ch.Settings.Assignment.Rules
	if j < 0 || j >= len(rules) {
		return "", -1, formError{"rules", "the rule is already at that end of the list"}
	}
	rules[i], rules[j] = rules[j], rules[i]
	return "Rule order saved.", -1, nil
}

func applyRuleDelete(r *http.Request, ch *channel.Channel) (string, int, error) {
	i, err := ruleIndex(r, ch, false)
	if err != nil {
		return "", -1, err
	}
	rules := &ch.Settings.Assignment.Rules
	name := (*rules)[i].Name
	*rules = append((*rules)[:i], (*rules)[i+1:]...)
	return "Rule “" + name + "” deleted.", -1, nil
}
