package csat

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// ratingCase is one rule of the parser. want 0 means the reply must be
// rejected.
type ratingCase struct {
	rule    string
	text    string
	payload string
	want    int
	method  Method
}

var ratingCases = []ratingCase{
	// Payloads from list items and buttons.
	{"payload: list item", "5 – Excellent", "csat:conv_42:5", 5, MethodPayload},
	{"payload: decides over the tapped title", "Excellent", "csat:conv_42:1", 1, MethodPayload},
	{"payload: survey id with colons", "", "csat:ch:1:conv:9:3", 3, MethodPayload},
	{"payload: surrounding spaces trimmed", "", " csat:s1:2 ", 2, MethodPayload},
	{"payload: foreign button is not a rating, even titled like one", "5", "menu:agent", 0, ""},
	{"payload: score off the scale", "", "csat:s1:6", 0, ""},
	{"payload: empty survey id", "", "csat::4", 0, ""},
	{"payload: unfilled two-digit score", "", "csat:s1:10", 0, ""},

	// A lone digit.
	{"digit: en bare", "5", "", 5, MethodDigit},
	{"digit: exclamation", "5!", "", 5, MethodDigit},
	{"digit: spaces and dot", "  3.  ", "", 3, MethodDigit},
	{"digit: keycap emoji", "4️⃣", "", 4, MethodDigit},
	{"digit: WhatsApp bold", "*2*", "", 2, MethodDigit},
	{"digit: en polite suffix", "5, thanks!", "", 5, MethodDigit},
	{"digit: en thank you very much", "4 thank you very much", "", 4, MethodDigit},
	{"digit: fr merci", "4 merci", "", 4, MethodDigit},
	{"digit: es muchas gracias", "Muchas gracias, 5", "", 5, MethodDigit},
	{"digit: pt obrigada", "5 obrigada", "", 5, MethodDigit},
	{"digit: thanks emoji with skin tone", "5 🙏🏽", "", 5, MethodDigit},
	{"digit: list title typed or echoed, en", "5 - Excellent", "", 5, MethodDigit},
	{"digit: list title, en intensified", "1 – Very bad", "", 1, MethodDigit},
	{"digit: list title, fr", "4 - Bien", "", 4, MethodDigit},
	{"digit: smiling emoji agrees with a high digit", "5 😊", "", 5, MethodDigit},

	// Fractions.
	{"fraction: slash", "4/5", "", 4, MethodFraction},
	{"fraction: spaced slash", "4 / 5", "", 4, MethodFraction},
	{"fraction: full marks", "5/5", "", 5, MethodFraction},
	{"fraction: en out of", "4 out of 5", "", 4, MethodFraction},
	{"fraction: en out of with stars", "4 out of 5 stars", "", 4, MethodFraction},
	{"fraction: en number words", "four out of five", "", 4, MethodFraction},
	{"fraction: fr sur", "4 sur 5", "", 4, MethodFraction},
	{"fraction: es de", "3 de 5", "", 3, MethodFraction},
	{"fraction: es sobre", "2 sobre 5", "", 2, MethodFraction},
	{"fraction: pt de", "4 de 5", "", 4, MethodFraction},

	// Stars.
	{"stars: en word", "5 stars", "", 5, MethodStars},
	{"stars: en singular", "1 star", "", 1, MethodStars},
	{"stars: fr", "5 étoiles", "", 5, MethodStars},
	{"stars: fr without accent, number word", "cinq etoiles", "", 5, MethodStars},
	{"stars: fr article one", "une étoile", "", 1, MethodStars},
	{"stars: es", "5 estrellas", "", 5, MethodStars},
	{"stars: es number word", "tres estrellas", "", 3, MethodStars},
	{"stars: pt", "5 estrelas", "", 5, MethodStars},
	{"stars: pt article one", "uma estrela", "", 1, MethodStars},
	{"stars: filled then empty", "★★★★☆", "", 4, MethodStars},
	{"stars: filled only", "★★", "", 2, MethodStars},
	{"stars: emoji count", "⭐⭐⭐", "", 3, MethodStars},
	{"stars: emoji with variation selectors", "⭐️⭐️⭐️⭐️⭐️", "", 5, MethodStars},
	{"stars: spaced emoji", "⭐ ⭐ ⭐ ⭐", "", 4, MethodStars},
	{"stars: number then star", "5 ⭐", "", 5, MethodStars},
	{"stars: star then number", "⭐ 3", "", 3, MethodStars},

	// Emoji faces.
	{"emoji: disappointed", "😞", "", 1, MethodEmoji},
	{"emoji: angry", "😡😡😡", "", 1, MethodEmoji},
	{"emoji: confused", "😕", "", 2, MethodEmoji},
	{"emoji: frowning with variation selector", "☹️", "", 2, MethodEmoji},
	{"emoji: neutral", "😐", "", 3, MethodEmoji},
	{"emoji: slight smile", "🙂", "", 4, MethodEmoji},
	{"emoji: blush", "😊", "", 4, MethodEmoji},
	{"emoji: heart eyes", "😍", "", 5, MethodEmoji},
	{"emoji: same score mixed", "🤩😁", "", 5, MethodEmoji},

	// Words, en.
	{"word en: excellent", "Excellent", "", 5, MethodWord},
	{"word en: very good", "very good", "", 5, MethodWord},
	{"word en: good", "good", "", 4, MethodWord},
	{"word en: average", "average", "", 3, MethodWord},
	{"word en: so-so", "so-so", "", 3, MethodWord},
	{"word en: bad", "BAD", "", 2, MethodWord},
	{"word en: very bad", "very bad", "", 1, MethodWord},
	{"word en: terrible", "terrible!!", "", 1, MethodWord},
	{"word en: with emoji agreeing", "excellent 😍", "", 5, MethodWord},
	// Words, fr.
	{"word fr: excellent", "excellent", "", 5, MethodWord},
	{"word fr: très bien", "Très bien", "", 5, MethodWord},
	{"word fr: tres bien without accent", "tres bien", "", 5, MethodWord},
	{"word fr: bien", "bien", "", 4, MethodWord},
	{"word fr: moyen", "moyen", "", 3, MethodWord},
	{"word fr: mauvais", "mauvais", "", 2, MethodWord},
	{"word fr: nul", "Nul.", "", 1, MethodWord},
	{"word fr: polite prefix", "Merci, très bien", "", 5, MethodWord},
	// Words, es.
	{"word es: excelente", "¡Excelente!", "", 5, MethodWord},
	{"word es: muy bueno", "muy bueno", "", 5, MethodWord},
	{"word es: bueno", "bueno", "", 4, MethodWord},
	{"word es: regular", "regular", "", 3, MethodWord},
	{"word es: malo", "malo", "", 2, MethodWord},
	{"word es: pésimo", "Pésimo", "", 1, MethodWord},
	{"word es: pesimo without accent", "pesimo", "", 1, MethodWord},
	// Words, pt.
	{"word pt: ótimo", "Ótimo", "", 5, MethodWord},
	{"word pt: muito bom", "muito bom", "", 5, MethodWord},
	{"word pt: bom", "bom", "", 4, MethodWord},
	{"word pt: mais ou menos", "mais ou menos", "", 3, MethodWord},
	{"word pt: ruim", "ruim", "", 2, MethodWord},
	{"word pt: péssimo", "péssimo", "", 1, MethodWord},
	{"word pt: muito ruim", "muito ruim", "", 1, MethodWord},
	{"word pt: number word alone", "cinco", "", 5, MethodWord},

	// Rejected: ambiguous or not a rating.
	{"reject: empty", "", "", 0, ""},
	{"reject: only punctuation", "?!", "", 0, ""},
	{"reject: number with a unit", "5 minutes late", "", 0, ""},
	{"reject: two choices", "1 or 2", "", 0, ""},
	{"reject: two numbers", "2 3", "", 0, ""},
	{"reject: same number twice", "5 5", "", 0, ""},
	{"reject: decimal", "4.5", "", 0, ""},
	{"reject: decimal comma", "4,5", "", 0, ""},
	{"reject: zero", "0", "", 0, ""},
	{"reject: six", "6", "", 0, ""},
	{"reject: ten out of ten is off the scale", "10/10", "", 0, ""},
	{"reject: other denominator", "4/10", "", 0, ""},
	{"reject: leading zero", "05", "", 0, ""},
	{"reject: negative", "-1", "", 0, ""},
	{"reject: en negation", "not good", "", 0, ""},
	{"reject: en negation with bad", "not bad", "", 0, ""},
	{"reject: fr negation", "pas mal", "", 0, ""},
	{"reject: fr negation with ne", "ce n'est pas bien", "", 0, ""},
	{"reject: es negation", "no muy bueno", "", 0, ""},
	{"reject: pt negation", "não foi bom", "", 0, ""},
	{"reject: en quality word with a noun", "excellent service", "", 0, ""},
	{"reject: long sentence", "The service was excellent and the agent very helpful", "", 0, ""},
	{"reject: new question", "I still have a problem with my order", "", 0, ""},
	{"reject: order number", "#5", "", 0, ""},
	{"reject: number and word disagree", "4 excellent", "", 0, ""},
	{"reject: digit and stars disagree", "3 ⭐⭐⭐⭐⭐", "", 0, ""},
	{"reject: emoji contradicts the digit", "1 😍", "", 0, ""},
	{"reject: faces disagree", "😍😡", "", 0, ""},
	{"reject: words disagree", "good bad", "", 0, ""},
	{"reject: too many stars", "⭐⭐⭐⭐⭐⭐", "", 0, ""},
	{"reject: only empty stars", "☆☆☆", "", 0, ""},
	{"reject: empty star between filled", "★☆★", "", 0, ""},
	{"reject: intensified neutral", "very average", "", 0, ""},
	{"reject: intensifier alone (fr très)", "très", "", 0, ""},
	{"reject: acknowledgement", "ok", "", 0, ""},
	{"reject: thanks only", "muito obrigado", "", 0, ""},
	{"reject: filler in the middle", "5 thanks 5", "", 0, ""},
	{"reject: thumbs up is not on a scale", "👍", "", 0, ""},
	{"reject: unknown face", "🤔", "", 0, ""},
	{"reject: zero-width joiner sequence", "😮\u200d💨", "", 0, ""},
	{"reject: article alone", "une", "", 0, ""},
	{"reject: connector without denominator", "4 de", "", 0, ""},
	{"reject: invalid UTF-8", "5\xff", "", 0, ""},
}

func TestParseRating(t *testing.T) {
	require.GreaterOrEqual(t, len(ratingCases), 60)
	for _, tc := range ratingCases {
		t.Run(tc.rule, func(t *testing.T) {
			got, ok := ParseRating(tc.text, tc.payload)
			if tc.want == 0 {
				require.False(t, ok, "ParseRating(%q, %q) = %+v, want rejected", tc.text, tc.payload, got)
				require.Zero(t, got)
				return
			}
			require.True(t, ok, "ParseRating(%q, %q) rejected, want %d", tc.text, tc.payload, tc.want)
			require.Equal(t, Rating{Value: tc.want, Method: tc.method}, got, "ParseRating(%q, %q)", tc.text, tc.payload)
		})
	}
}

// TestParseRatingLanguages checks every language has accepted and rejected
// cases in the table, so the table keeps covering all four.
func TestParseRatingLanguages(t *testing.T) {
	for _, lang := range []string{"en", "fr", "es", "pt"} {
		n := 0
		for _, tc := range ratingCases {
			for _, w := range strings.Fields(tc.rule) {
				if strings.TrimSuffix(w, ":") == lang {
					n++
				}
			}
		}
		require.GreaterOrEqual(t, n, 8, "cases labelled %q", lang)
	}
}

// TestParseRatingLexicon runs every rating word of the lexicon, alone and
// after "very"-type intensifiers, so a typo in the table shows up.
func TestParseRatingLexicon(t *testing.T) {
	for i, words := range ratingWords {
		for _, w := range words {
			got, ok := ParseRating(w, "")
			require.True(t, ok, "%q", w)
			require.Equal(t, Rating{Value: i + 1, Method: MethodWord}, got, "%q", w)
			got, ok = ParseRating("VERY "+strings.ToUpper(w), "")
			switch i + 1 {
			case 3:
				require.False(t, ok, "very %q", w)
			case 1, 2:
				require.Equal(t, Rating{Value: 1, Method: MethodWord}, got, "very %q", w)
			default:
				require.Equal(t, Rating{Value: 5, Method: MethodWord}, got, "very %q", w)
			}
		}
	}
	for i, words := range numberWords {
		for _, w := range words {
			got, ok := ParseRating(w+" stars", "")
			require.True(t, ok, "%q stars", w)
			require.Equal(t, i+1, got.Value, "%q stars", w)
		}
	}
	for _, w := range negations {
		_, ok := ParseRating(w+" good", "")
		require.False(t, ok, "%q good", w)
		_, ok = ParseRating("5 "+w, "")
		require.False(t, ok, "5 %q", w)
	}
	for _, w := range fillers {
		got, ok := ParseRating("4 "+w, "")
		require.Equal(t, Rating{Value: 4, Method: MethodDigit}, got, "4 %q", w)
		require.True(t, ok)
	}
}

// TestParseRatingEmojiTable checks every face of the documented table.
func TestParseRatingEmojiTable(t *testing.T) {
	table := map[int]string{1: "😡😠🤬😞😭😫😩🤮", 2: "😕🙁☹😟😒😔😢", 3: "😐😑😶", 4: "🙂😊☺", 5: "😍🤩😁😃😀😄🥰😻"}
	for v, faces := range table {
		for _, f := range faces {
			got, ok := ParseRating(string(f), "")
			require.True(t, ok, "%q", f)
			require.Equal(t, Rating{Value: v, Method: MethodEmoji}, got, "%q", f)
		}
	}
}

func TestParseRatingTooLong(t *testing.T) {
	_, ok := ParseRating("5"+strings.Repeat(" ", maxTextBytes), "")
	require.False(t, ok, "a reply longer than maxTextBytes is never a rating")
	_, ok = ParseRating(strings.Repeat("😍", maxTokens+1), "")
	require.False(t, ok, "more than maxTokens tokens")
	_, ok = ParseRating(strings.Repeat("😍", maxTokens), "")
	require.True(t, ok)
}

// TestNegationWins: a negation rejects the reply even if a future lexicon
// edit gives the same word another role (here "pas" as a filler, which would
// otherwise turn "pas mal" into a 2).
func TestNegationWins(t *testing.T) {
	lx := lexicon{
		"pas": {{words: []string{"pas"}, roles: roleNegation | roleFiller}},
		"mal": {{words: []string{"mal"}, roles: roleRating, rating: 2}},
	}
	toks, ok := tokenize("pas mal")
	require.True(t, ok)
	_, ok = lexItems(toks, lx)
	require.False(t, ok)
}
