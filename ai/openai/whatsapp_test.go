package openai

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

func TestWhatsAppText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain text is unchanged", "We open at 7:00.", "We open at 7:00."},
		{"bold", "We are **closed** on **Mondays**.", "We are *closed* on *Mondays*."},
		{"WhatsApp bold stays", "We are *closed*.", "We are *closed*."},
		{"strikethrough", "~~10 €~~ 8 €", "~10 €~ 8 €"},
		{"heading", "## Opening hours\nEvery day", "*Opening hours*\nEvery day"},
		{"bold heading", "### **Prices**", "*Prices*"},
		{"link", "See [our menu](https://example.com/menu).", "See our menu (https://example.com/menu)."},
		{"link to itself", "[https://example.com](https://example.com)", "https://example.com"},
		{"lists stay", "- bread\n- cakes", "- bread\n- cakes"},
		{"code blocks stay", "```\n**raw**\n```\n**bold**", "```\n**raw**\n```\n*bold*"},
		{"a hashtag is not a heading", "#1 in Lyon", "#1 in Lyon"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, whatsAppText(tt.in))
		})
	}
}

func TestFit(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		limit int
		want  string
	}{
		{"short text is unchanged", "Hello. Bye.", 20, "Hello. Bye."},
		{"exactly the limit is unchanged", "Hello.", 6, "Hello."},
		{"cut at the last sentence end", "One. Two. Three four five.", 12, "One. Two."},
		{"question and exclamation marks end sentences", "Why? Because! And so on and on", 20, "Why? Because!"},
		{"closing quotes stay with the sentence", `He said "yes." Then more words here`, 20, `He said "yes."`},
		{"a sentence ending right at the limit", "One. Two.   Three", 9, "One. Two."},
		{"a line break is a boundary", "- bread\n- cakes and pastries", 15, "- bread"},
		{"a paragraph break is a boundary", "First part\n\nSecond part that is long", 20, "First part"},
		{"a decimal point is not a sentence end", "It costs 3.50 euros. Delivery 2.50 more", 30, "It costs 3.50 euros."},
		{"one endless sentence is cut at a space", "aaa bbb ccc ddd eee", 10, "aaa bbb…"},
		{"no space at all is cut hard", "abcdefghijkl", 5, "abcd…"},
		{"runes, not bytes, are counted", "Ça coûte 3 €. Très bien épais", 15, "Ça coûte 3 €."},
		{"CJK full stops need no space", "你好。谢谢。再见再见", 7, "你好。谢谢。"},
		{"an emoji counts two, as Twilio counts", "😀😀😀😀", 5, "😀😀…"},
		{"emoji within the limit in UTF-16 units", "Merci 🙏. À bientôt 👋", 22, "Merci 🙏. À bientôt 👋"},
		{"emoji push the cut to an earlier sentence", "Merci 🙏. Bon appétit 🥐🥐", 24, "Merci 🙏."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := fit(tt.in, tt.limit)
			require.Equal(t, tt.want, got)
			require.LessOrEqual(t, utf16Len(got), tt.limit)
		})
	}
}

func TestFitProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		words := rapid.SliceOf(rapid.SampledFrom([]string{"word", "é", "ok.", "yes!", "why?", "\n", "\n\n", " ", "3.5", "“quoted.”", "。", "👍", "🥐."})).Draw(t, "words")
		s := strings.Join(words, " ")
		limit := rapid.IntRange(1, 60).Draw(t, "limit")
		got := fit(s, limit)
		if utf16Len(s) <= limit {
			if got != s {
				t.Fatalf("a text within the limit was changed: %q -> %q", s, got)
			}
			return
		}
		if n := utf16Len(got); n > limit {
			t.Fatalf("%d UTF-16 units over the limit %d: %q", n, limit, got)
		}
		if !strings.HasPrefix(s, strings.TrimSuffix(got, "…")) {
			t.Fatalf("not a prefix of the text: %q of %q", got, s)
		}
		if !utf8.ValidString(got) {
			t.Fatalf("invalid UTF-8: %q", got)
		}
	})
}

func TestCutIncomplete(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"the unfinished sentence goes", "We deliver. It costs", "We deliver."},
		{"a finished answer stays", "We deliver. It costs 3 euros.", "We deliver. It costs 3 euros."},
		{"a single unfinished sentence goes too", "We deliver to", ""},
		{"a line break ends a part", "Our hours:\n- Tuesday to Sunday 7-19\n- Mon", "Our hours:\n- Tuesday to Sunday 7-19"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, cutIncomplete(tt.in))
		})
	}
}

func TestStripMarker(t *testing.T) {
	require.Equal(t, "Done.", stripMarker("[human agent] Done."))
	require.Equal(t, "Done.", stripMarker("[Automatic Message] Done."))
	require.Equal(t, "[image] Done.", stripMarker("[image] Done."))
}
