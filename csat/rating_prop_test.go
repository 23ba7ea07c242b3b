package csat

import (
	"strconv"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// politePhrases are greetings and thanks as customers type them: the
// lexicon's own spellings plus accented and capitalised variants, emoji
// thanks, and phrases the lexicon does not know (an unknown word rejects the
// reply anyway, and the property must hold whatever the lexicon learns).
func politePhrases() []string {
	out := append([]string(nil), greetings...)
	out = append(out, thanksPhrases...)
	return append(out,
		"🙏", "🙏🏽", "Olá", "Bom dia!", "Buenos días", "Buen día", "¡Hola!", "Muchísimas gracias", "Obrigadão",
		"Merci beaucoup !", "THANK YOU", "Thank you so much!!", "Thanks a lot :)", "Grazie", "Danke",
		"Merci 🙏", "gracias 🙏🙏", "valeu!!", "Bonjour,", "Hi there", "ty!", "Mil gracias", "Merci bien",
	)
}

// loneSymbols are what may be left around a greeting: faces of every score,
// agreeing emoji, and one star of each kind.
var loneSymbols = []string{
	"😡", "😠", "🤬", "😞", "😭", "😫", "😩", "🤮", "😕", "🙁", "☹️", "😟", "😒", "😔", "😢", "😐", "😑", "😶",
	"🙂", "😊", "☺️", "😍", "🤩", "😁", "😃", "😀", "😄", "🥰", "😻",
	"👍", "👍🏽", "❤️", "♥️", "👏", "🙌🏻", "💯", "👌", "👎",
}

var singleStars = []string{"⭐", "⭐️", "🌟", "★"}

// separators join the parts of a generated reply.
var separators = []string{" ", "  ", ", ", "! ", "!! ", ". ", " - ", "... ", "\n", " *", "* "}

func drawCase(t *rapid.T, s, label string) string {
	switch rapid.IntRange(0, 3).Draw(t, label) {
	case 1:
		return strings.ToUpper(s)
	case 2:
		return strings.ToLower(s)
	case 3:
		if s != "" && s[0] >= 'a' && s[0] <= 'z' {
			return strings.ToUpper(s[:1]) + s[1:]
		}
	}
	return s
}

// drawPolite wraps core in one or two greeting/thanks phrases: before it,
// after it, or both.
func drawPolite(t *rapid.T, core string) string {
	phrases := politePhrases()
	phrase := func(label string) string {
		return drawCase(t, rapid.SampledFrom(phrases).Draw(t, label), label+" case")
	}
	sep := func(label string) string { return rapid.SampledFrom(separators).Draw(t, label) }
	switch rapid.IntRange(0, 2).Draw(t, "where") {
	case 0:
		return phrase("before") + sep("sep1") + core
	case 1:
		return core + sep("sep1") + phrase("after")
	default:
		return phrase("before") + sep("sep1") + core + sep("sep2") + phrase("after")
	}
}

// TestPoliteEmojiIsNeverARating is the property: a greeting or thanks
// wrapped around an emoji alone (faces, agreeing emoji, a single star) is
// never a rating, whatever the phrase, the emoji, the casing and the
// punctuation.
func TestPoliteEmojiIsNeverARating(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var core string
		if rapid.Bool().Draw(t, "single star") {
			core = rapid.SampledFrom(singleStars).Draw(t, "star")
		} else {
			syms := rapid.SliceOfN(rapid.SampledFrom(loneSymbols), 1, 3).Draw(t, "emoji")
			core = strings.Join(syms, rapid.SampledFrom([]string{"", " "}).Draw(t, "emoji sep"))
		}
		text := drawPolite(t, core)
		if r, ok := ParseRating(text, ""); ok {
			t.Fatalf("ParseRating(%q) = %+v: a greeting or thanks around an emoji alone is not a rating", text, r)
		}
	})
}

// TestPoliteNumberIsARating is the counterpart that keeps the first property
// honest: the same phrases around a digit (with an agreeing emoji or not)
// leave the digit's score.
func TestPoliteNumberIsARating(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 5).Draw(t, "n")
		core := strconv.Itoa(n)
		if n >= 4 && rapid.Bool().Draw(t, "agreeing emoji") {
			core += " " + rapid.SampledFrom([]string{"👍", "❤️", "👏", "😊", "😍", "🙌🏽"}).Draw(t, "emoji")
		}
		if rapid.Bool().Draw(t, "label") {
			core = rapid.SampledFrom([]string{"nota ", "Nota: ", "note ", "rating: ", "Calificación "}).Draw(t, "label word") + core
		}
		phrases := append(append([]string(nil), greetings...), thanksPhrases...)
		before := drawCase(t, rapid.SampledFrom(phrases).Draw(t, "before"), "before case")
		after := drawCase(t, rapid.SampledFrom(phrases).Draw(t, "after"), "after case")
		text := before + rapid.SampledFrom(separators).Draw(t, "sep1") + core + rapid.SampledFrom(separators).Draw(t, "sep2") + after
		r, ok := ParseRating(text, "")
		if !ok || r != (Rating{Value: n, Method: MethodDigit}) {
			t.Fatalf("ParseRating(%q) = %+v, %v: want %d (digit)", text, r, ok, n)
		}
	})
}

// requests are things customers ask for, in the four languages.
var requests = []string{
	"can you call me back", "I need help", "where is my order", "one more thing", "please",
	"is the store open", "I want a refund", "how do I cancel", "help",
	"j'ai une autre question", "pouvez-vous m'aider", "où est ma commande", "s'il vous plaît", "rappelez-moi",
	"necesito ayuda", "por favor", "dónde está mi pedido", "llámame", "quiero un reembolso",
	"preciso de ajuda", "cadê meu pedido", "me liga", "por favor me ajuda", "quero cancelar",
}

// TestRequestIsNeverARating: any reply the parser accepts, with a request
// added before or after it, is a conversation, not a rating. The accepted
// replies are the table's.
func TestRequestIsNeverARating(t *testing.T) {
	var accepted []string
	for _, tc := range ratingCases {
		if tc.want != 0 && tc.payload == "" {
			accepted = append(accepted, tc.text)
		}
	}
	rapid.Check(t, func(t *rapid.T) {
		rating := rapid.SampledFrom(accepted).Draw(t, "rating")
		req := drawCase(t, rapid.SampledFrom(requests).Draw(t, "request"), "request case")
		sep := rapid.SampledFrom(separators).Draw(t, "sep")
		text := rating + sep + req
		if rapid.Bool().Draw(t, "request first") {
			text = req + sep + rating
		}
		if r, ok := ParseRating(text, ""); ok {
			t.Fatalf("ParseRating(%q) = %+v: a reply with a request is not a rating", text, r)
		}
	})
}
