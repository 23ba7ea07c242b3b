package routing

import "testing"

func TestAppendFold(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty text is one space", "", " "},
		{"punctuation only is one space", "?!... ", " "},
		{"ASCII is lower-cased and split on punctuation", "Hello,   WORLD!", " hello world "},
		{"digits are word characters", "Order #12345", " order 12345 "},
		{"French accents are removed", "Je veux un REMBOURSÉ", " je veux un rembourse "},
		{"apostrophes separate words", "l'état", " l etat "},
		{"decomposed accents are dropped inside the word", "Rembourse\u0301 ici", " rembourse ici "},
		{"sharp s folds to ss", "Straße", " strasse "},
		{"ligatures fold to two letters", "Œuvre ÆON", " oeuvre aeon "},
		{"letters without decomposition fold to their base", "Øresund Łódź Đakovo", " oresund lodz dakovo "},
		{"Vietnamese folds to base letters", "Tiếng Việt", " tieng viet "},
		{"Greek accents and final sigma fold", "Άλφα ΛΌΓΟΣ λόγος", " αλφα λογοσ λογοσ "},
		{"Cyrillic is lower-cased but keeps its marks", "ЙОД", " йод "},
		{"Japanese voiced marks are kept", "ガス", " ガス "},
		{"an emoji is a word of its own", "ok👍", " ok 👍 "},
		{"skin-tone modifiers are separators", "👍🏽 thanks", " 👍 thanks "},
		{"consecutive emoji are separate words", "🔥🔥", " 🔥 🔥 "},
		{"newlines and tabs separate words", "line1\nline2\tend", " line1 line2 end "},
		{"underscore separates words", "snake_case", " snake case "},
		{"Turkish dotted capital I folds to i", "İstanbul", " istanbul "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(appendFold(nil, tt.in)); got != tt.want {
				t.Errorf("appendFold(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestAppendFoldAppends(t *testing.T) {
	buf := make([]byte, 0, 64)
	buf = append(buf, "x"...)
	if got := string(appendFold(buf, "Hi")); got != "x hi " {
		t.Errorf("appendFold appended %q, want %q", got, "x hi ")
	}
}

func TestAppendFoldDoesNotAllocateWithRoom(t *testing.T) {
	buf := make([]byte, 0, 256)
	allocs := testing.AllocsPerRun(100, func() {
		_ = appendFold(buf[:0], "Bonjour, je voudrais être REMBOURSÉ de ma commande n°123 👍🏽")
	})
	if allocs != 0 {
		t.Errorf("appendFold into a buffer with room allocated %v times, want 0", allocs)
	}
}

// TestLatin1BaseAgreesWithNorm checks the Latin-1 fast path against the general one.
func TestLatin1BaseAgreesWithNorm(t *testing.T) {
	for r := rune(0xC0); r <= 0xFF; r++ {
		if latin1Base[r-0xC0] == '.' {
			continue
		}
		want := string(appendLetter(nil, r, string(r)))
		if got := string(latin1Base[r-0xC0]); got != want {
			t.Errorf("latin1Base[%q] = %q, appendLetter gives %q", r, got, want)
		}
	}
	if got := string(appendFold(nil, "ÀÉÎÕÜÝÿ ñÇ")); got != " aeiouyy nc " {
		t.Errorf("appendFold of Latin-1 letters = %q", got)
	}
}
