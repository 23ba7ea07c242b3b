package routing

import (
	"fmt"
	"strconv"
	"testing"
	"time"
)

// benchRules returns 50 rules of mixed kinds, none of which matches benchInput, so Route evaluates
// them all (the worst case) before falling back to the pool.
func benchRules(tb testing.TB) *Router {
	tb.Helper()
	var rules []Rule
	for i := range 50 {
		name := "rule " + strconv.Itoa(i)
		var when Condition
		switch i % 10 {
		case 0:
			when = Condition{TextContainsAny: []string{"refund" + strconv.Itoa(i), "remboursement" + strconv.Itoa(i), "money back"}}
		case 1:
			when = All(
				Condition{TextContainsAll: []string{"facture", "erreur" + strconv.Itoa(i)}},
				Condition{Country: []string{"FR", "BE"}},
				Not(Condition{BusinessHours: HoursClosed}),
			)
		case 2:
			when = Condition{TextStartsWith: []string{"stop" + strconv.Itoa(i), "unsubscribe"}}
		case 3:
			when = Condition{TextMatches: `(?i)\border[- ]?#?` + strconv.Itoa(i) + `\d{6}\b`}
		case 4:
			when = Any(
				Condition{MessageType: []string{MessageImage, MessageDocument}},
				Condition{ButtonPayloadPrefix: "menu:" + strconv.Itoa(i)},
			)
		case 5:
			when = All(Condition{PhonePrefix: []string{"+44", "+1"}}, Condition{Contact: ContactNew})
		case 6:
			when = Condition{ProfileNameContains: []string{"acme" + strconv.Itoa(i), "corp*"}}
		case 7:
			when = Condition{Attribute: &AttributeCondition{Key: "plan", In: []string{"gold", "platinum"}}}
		case 8:
			when = All(Condition{Channel: []string{"ch_other", "ch_" + strconv.Itoa(i)}}, Condition{TextContainsAny: []string{"urgent"}})
		case 9:
			when = Not(Any(Condition{Country: []string{"FR"}}, Condition{Attribute: &AttributeCondition{Key: "vip", Exists: true}}))
		}
		rules = append(rules, Rule{Name: name, When: when, Then: Target{Team: fmt.Sprintf("team%d", i)}})
	}
	r, err := Compile(rules)
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

var benchInput = Input{
	ChannelID:      "ch_main",
	Text:           "Bonjour, je voudrais être remboursé de ma commande n°4411 reçue hier, le colis était abîmé. Merci d'avance !",
	MessageType:    MessageText,
	ContactPhone:   "+33612345678",
	ContactCountry: "FR",
	ProfileName:    "Amélie Poulain",
	Attributes:     map[string]string{"plan": "silver", "lang": "fr"},
	Open:           true,
}

func BenchmarkRoute50Rules(b *testing.B) {
	r := benchRules(b)
	if d := r.Route(benchInput, ""); d.By != DecidedByPool {
		b.Fatalf("benchmark message matched %s; it must go through all 50 rules", d.Reason())
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = r.Route(benchInput, "")
	}
}

// BenchmarkRoute50RulesRegexpsRun is the same as BenchmarkRoute50Rules with a message that
// contains the regexps' literal ("order"), so the literal prefilter passes and the 5 regexps of
// the list really run: the cost of text_matches rules when they cannot be skipped.
func BenchmarkRoute50RulesRegexpsRun(b *testing.B) {
	r := benchRules(b)
	in := benchInput
	in.Text = "Bonjour, je voudrais être remboursé de ma commande (order 4411) reçue hier, le colis était abîmé. Merci !"
	if d := r.Route(in, ""); d.By != DecidedByPool {
		b.Fatalf("benchmark message matched %s; it must go through all 50 rules", d.Reason())
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = r.Route(in, "")
	}
}

// benchCandidates returns n agents with varied load, capacity and presence.
func benchCandidates(n int) []Candidate {
	base := time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC)
	cands := make([]Candidate, n)
	for i := range cands {
		cands[i] = Candidate{
			ID:           fmt.Sprintf("agent-%04d", (i*7919)%n), // not sorted by ID
			Open:         i % 7,
			Capacity:     []int{0, 5, 8, 10}[i%4],
			Online:       i%5 != 0,
			LastAssigned: base.Add(time.Duration(i%13) * time.Minute),
		}
	}
	return cands
}

func BenchmarkLeastLoadedPick1000(b *testing.B) {
	cands := benchCandidates(1000)
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := (LeastLoaded{}).Pick(cands, ""); !ok {
			b.Fatal("no candidate")
		}
	}
}

func BenchmarkRoundRobinPick1000(b *testing.B) {
	cands := benchCandidates(1000)
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := (RoundRobin{}).Pick(cands, "agent-0500"); !ok {
			b.Fatal("no candidate")
		}
	}
}
