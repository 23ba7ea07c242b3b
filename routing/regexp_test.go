package routing

import (
	"regexp"
	"testing"

	"pgregory.net/rapid"
)

func TestRequiredLiteral(t *testing.T) {
	tests := []struct {
		expr string
		lit  string
		fold bool
	}{
		{`order #\d+`, "order #", false},
		{`(?i)\border[- ]?#?\d{6}\b`, "order", true},
		{`(?i)refunds?`, "refund", true}, // simplified to refund then s?
		{`(?i)ask`, "a", true},           // k and s may match non-ASCII runes
		{`(?i)kiwi`, "iwi", true},
		{`hello|world`, "", false},      // alternation: nothing certain
		{`(?:abc)+x`, "abc", false},     // a repetition of at least one
		{`(?:abc)*x`, "x", false},       // zero repetitions possible
		{`(?:abc){2,}xy`, "abc", false}, // the longest required literal
		{`^\d+$`, "", false},            // no literal at all
		{`(?i)été`, "t", true},          // non-ASCII letters have other case partners
		{`(?i)café`, "caf", true},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			tr, err := compileRegexp(tt.expr)
			if err != nil {
				t.Fatal(err)
			}
			if tr.lit != tt.lit || (tr.lit != "" && tr.fold != tt.fold) {
				t.Errorf("required literal = %q (fold %v), want %q (fold %v)", tr.lit, tr.fold, tt.lit, tt.fold)
			}
		})
	}
}

// TestRegexpPrefilterNeverChangesTheResult checks the prefilter against the plain regexp on
// random texts drawn from an alphabet full of case and folding traps.
func TestRegexpPrefilterNeverChangesTheResult(t *testing.T) {
	exprs := []string{
		`(?i)order\s*#?\d+`, `(?i)ask`, `(?i)kelvin`, `order`, `(?i)stop\b`, `(?i)(?:ab)+c`,
		`(?i)refunds?`, `x(?i:yz)`, `(?i)café`, `(?i)#1or`, `(?i)12+`,
	}
	res := make([]*textRegexp, len(exprs))
	for i, e := range exprs {
		var err error
		if res[i], err = compileRegexp(e); err != nil {
			t.Fatal(err)
		}
	}
	alphabet := []rune("oOrRdDeE #12kKsSaAbBcCtTpPfFuUnNyYzZxXé É\u212A\u017F")
	rapid.Check(t, func(t *rapid.T) {
		i := rapid.IntRange(0, len(exprs)-1).Draw(t, "expr")
		text := string(rapid.SliceOfN(rapid.SampledFrom(alphabet), 0, 20).Draw(t, "text"))
		want := regexp.MustCompile(exprs[i]).MatchString(text)
		if got := res[i].match(text); got != want {
			t.Fatalf("%s on %q: prefiltered match = %v, regexp = %v", exprs[i], text, got, want)
		}
	})
}
