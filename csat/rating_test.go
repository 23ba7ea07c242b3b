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

	// A greeting or thanks may surround a number or a rating word, never
	// stand in for one: what is left after it must say a score on its own.
	{"polite en: greeting before a digit", "Good morning, 5", "", 5, MethodDigit},
	{"polite en: greeting before a fraction", "Hi! 4/5", "", 4, MethodFraction},
	{"polite en: greeting before a word", "Hello, excellent", "", 5, MethodWord},
	{"polite en: thanks phrase around a word", "Very good, thank you very much", "", 5, MethodWord},
	{"polite en: thanks and a star display", "Thanks ⭐⭐⭐⭐⭐", "", 5, MethodStars},
	{"polite en: greeting, digit and an agreeing face", "Hi, 5 😊", "", 5, MethodDigit},
	{"polite en: tears of gratitude beside a digit", "Thank you so much! 5 😭🙏", "", 5, MethodDigit},
	{"polite fr: greeting before stars", "Bonjour, 4 étoiles", "", 4, MethodStars},
	{"polite fr: evening greeting", "Bonsoir 5", "", 5, MethodDigit},
	{"polite fr: thanks phrase then digit", "Merci bien, 5", "", 5, MethodDigit},
	{"polite fr: digit then thanks phrase", "5 merci bien", "", 5, MethodDigit},
	{"polite fr: quality word then thanks is a rating", "Bien, merci", "", 4, MethodWord},
	{"polite fr: thanks and a display of one star", "Merci ★☆☆☆☆", "", 1, MethodStars},
	{"polite es: greeting before a digit", "Buenos días, 5", "", 5, MethodDigit},
	{"polite es: greeting before a word", "Hola, muy bueno 😀", "", 5, MethodWord},
	{"polite es: afternoon greeting and fraction", "Buenas tardes 4/5", "", 4, MethodFraction},
	{"polite es: thanks phrase then digit", "Muchísimas gracias, 4", "", 4, MethodDigit},
	{"polite es: thanks phrase then word", "Mil gracias, excelente", "", 5, MethodWord},
	{"polite es: tears beside a digit and thanks", "Gracias 😭 5", "", 5, MethodDigit},
	{"polite pt: greeting before a digit", "Bom dia, 5", "", 5, MethodDigit},
	{"polite pt: greeting before a word", "Oi, ótimo", "", 5, MethodWord},
	{"polite pt: evening greeting and stars", "Boa noite, 5 estrelas", "", 5, MethodStars},
	{"polite pt: thanks after a word", "Muito bom, obrigadão", "", 5, MethodWord},
	{"stars: a lone star without thanks still counts", "⭐", "", 1, MethodStars},
	{"reject: polite en greeting and a smile", "Hi 😊", "", 0, ""},
	{"reject: polite en greeting and a slight smile", "Hello 🙂", "", 0, ""},
	{"reject: polite en greeting and a grin", "Hey 😀", "", 0, ""},
	{"reject: polite en tears next to thanks", "Thank you so much 😭🙏", "", 0, ""},
	{"reject: polite en thanks and heart eyes", "Thanks 😍", "", 0, ""},
	{"reject: polite en thanks and repeated smiles", "thanks!! 😊😊", "", 0, ""},
	{"reject: polite en morning greeting and a smile", "Good morning ☺️", "", 0, ""},
	{"reject: polite en thanks and a sad face", "Thanks 😞", "", 0, ""},
	{"reject: polite en thanks and one star", "Thank you ⭐", "", 0, ""},
	{"reject: polite en thanks and one glowing star", "Thanks 🌟", "", 0, ""},
	{"reject: polite en greeting and one star", "hi ⭐", "", 0, ""},
	{"reject: polite en thanks phrase alone", "Thanks a lot", "", 0, ""},
	{"reject: polite thanks emoji and a smile", "🙏😊", "", 0, ""},
	{"reject: polite fr greeting and a smile", "Bonjour 😊", "", 0, ""},
	{"reject: polite fr thanks and a grin", "Merci 😀", "", 0, ""},
	{"reject: polite fr thanks phrase and hearts", "Merci beaucoup 🥰", "", 0, ""},
	{"reject: polite fr greeting and a slight smile", "Salut 🙂", "", 0, ""},
	{"reject: polite fr evening greeting and a grin", "Bonsoir 😁", "", 0, ""},
	{"reject: polite fr thanks and a tear", "merci 😢", "", 0, ""},
	{"reject: polite fr thanks and one glowing star", "Merci 🌟", "", 0, ""},
	{"reject: polite fr thanks phrase and one star", "Merci beaucoup ⭐️", "", 0, ""},
	{"reject: polite fr thanks phrase is not a quality word", "Merci bien", "", 0, ""},
	{"reject: polite fr thanks phrase with punctuation", "merci bien !", "", 0, ""},
	{"reject: polite fr thanks a thousand times", "Merci mille fois", "", 0, ""},
	{"reject: polite fr thanks infinitely", "Merci infiniment", "", 0, ""},
	{"reject: polite es greeting and a grin", "Hola 😀", "", 0, ""},
	{"reject: polite es thanks and a smile", "Gracias 😊", "", 0, ""},
	{"reject: polite es thanks phrase and heart eyes", "Muchas gracias 😍", "", 0, ""},
	{"reject: polite es morning greeting and a smile", "Buenos días 🙂", "", 0, ""},
	{"reject: polite es thanks and tears", "gracias 😭", "", 0, ""},
	{"reject: polite es thanks and one star", "Gracias ⭐", "", 0, ""},
	{"reject: polite es thanks phrase alone", "Muchísimas gracias", "", 0, ""},
	{"reject: polite es thousand thanks alone", "Mil gracias", "", 0, ""},
	{"reject: polite pt greeting and a slight smile", "Oi 🙂", "", 0, ""},
	{"reject: polite pt accented greeting and a smile", "Olá 😊", "", 0, ""},
	{"reject: polite pt thanks and heart eyes", "Obrigada 😍", "", 0, ""},
	{"reject: polite pt tears next to thanks", "Muito obrigado 😭🙏", "", 0, ""},
	{"reject: polite pt morning greeting and a grin", "Bom dia 😀", "", 0, ""},
	{"reject: polite pt thanks and one glowing star", "Obrigado 🌟", "", 0, ""},
	{"reject: polite pt big thanks alone", "Obrigadão", "", 0, ""},
	{"reject: polite pt afternoon greeting alone", "Boa tarde", "", 0, ""},

	// "nota 5" and its equivalents: a label before a number.
	{"label pt: nota", "nota 5", "", 5, MethodDigit},
	{"label pt: capitalised", "Nota 4", "", 4, MethodDigit},
	{"label pt: exclamations", "nota 5!!", "", 5, MethodDigit},
	{"label pt: with thanks", "Nota 5, muito obrigada", "", 5, MethodDigit},
	{"label pt: number word", "nota cinco", "", 5, MethodWord},
	{"label pt: stars", "nota 5 estrelas", "", 5, MethodStars},
	{"label pt: greeting first", "Boa tarde, nota 4", "", 4, MethodDigit},
	{"label pt: evaluation", "Avaliação: 4", "", 4, MethodDigit},
	{"label es: nota with colon", "nota: 4", "", 4, MethodDigit},
	{"label es: calificación", "Calificación 5", "", 5, MethodDigit},
	{"label es: puntuación fraction", "Puntuación: 4/5", "", 4, MethodFraction},
	{"label es: puntaje with thanks", "Puntaje 3, gracias", "", 3, MethodDigit},
	{"label fr: note", "Note : 5", "", 5, MethodDigit},
	{"label fr: note fraction", "note 4/5", "", 4, MethodFraction},
	{"label fr: note sur", "note 5 sur 5", "", 5, MethodFraction},
	{"label en: rating", "rating: 5", "", 5, MethodDigit},
	{"label en: score fraction", "Score 4/5", "", 4, MethodFraction},
	{"label en: rating in stars", "rating 5 stars", "", 5, MethodStars},
	{"reject: label pt alone", "nota", "", 0, ""},
	{"reject: label pt before a word", "nota excelente", "", 0, ""},
	{"reject: label pt invoice", "nota fiscal 5", "", 0, ""},
	{"reject: label pt out of ten", "nota 10", "", 0, ""},
	{"reject: label pt two numbers", "nota 4 e 5", "", 0, ""},
	{"reject: label pt after the number", "5 nota", "", 0, ""},
	{"reject: label es in a sentence", "mi nota es 5", "", 0, ""},
	{"reject: label fr in a sentence", "ma note 5", "", 0, ""},
	{"reject: label en in a sentence", "my rating is 5", "", 0, ""},
	{"reject: label en twice", "score 5 score 5", "", 0, ""},

	// Agreeing emoji: thumbs, hearts, applause carry no score of their own
	// but may sit beside a 4–5 signal (👎 beside a 1–2).
	{"agree: thumbs up after a digit", "5 👍", "", 5, MethodDigit},
	{"agree: thumbs up before a digit", "👍 5", "", 5, MethodDigit},
	{"agree: heart after a digit", "5 ❤️", "", 5, MethodDigit},
	{"agree: thumbs after a star display", "⭐⭐⭐⭐⭐ 👍", "", 5, MethodStars},
	{"agree: applause beside a four", "4 👏", "", 4, MethodDigit},
	{"agree: skin tone", "5 👍🏽", "", 5, MethodDigit},
	{"agree: hundred points beside full marks", "5/5 💯", "", 5, MethodFraction},
	{"agree: thumbs down beside a one", "1 👎", "", 1, MethodDigit},
	{"agree en: raised hands beside a word", "Great 🙌", "", 5, MethodWord},
	{"agree en: with thanks", "5 👍 thanks", "", 5, MethodDigit},
	{"agree fr: thumbs beside a word", "Très bien 👍", "", 5, MethodWord},
	{"agree es: applause beside a word", "Excelente 👏👏", "", 5, MethodWord},
	{"agree pt: heart beside a word", "ótimo ❤️", "", 5, MethodWord},
	{"agree pt: heart beside a label", "nota 5 ❤️", "", 5, MethodDigit},
	{"reject: agree heart alone", "❤️", "", 0, ""},
	{"reject: agree thumbs only", "👍👍", "", 0, ""},
	{"reject: agree thumbs down alone", "👎", "", 0, ""},
	{"reject: agree thumbs beside a neutral three", "3 👍", "", 0, ""},
	{"reject: agree heart beside a one", "1 ❤️", "", 0, ""},
	{"reject: agree thumbs down beside a five", "5 👎", "", 0, ""},
	{"reject: agree thumbs down beside a good word", "good 👎", "", 0, ""},
	{"reject: agree beside a face only", "😊 👍", "", 0, ""},
	{"reject: agree thumbs beside one star", "⭐ 👍", "", 0, ""},
	{"reject: polite en agree after thanks", "Thanks 👍", "", 0, ""},
	{"reject: polite fr agree after thanks", "Merci ❤️", "", 0, ""},
	{"reject: polite pt agree after thanks", "Valeu 👍", "", 0, ""},
	{"reject: polite es agree after thanks", "Gracias 👏", "", 0, ""},

	// "uno" alone is one; the articles stay articles.
	{"word es: uno", "uno", "", 1, MethodWord},
	{"word es: uno with a dot", "Uno.", "", 1, MethodWord},
	{"fraction: es uno de cinco", "uno de cinco", "", 1, MethodFraction},
	{"stars: es uno estrella", "uno estrella", "", 1, MethodStars},
	{"reject: es article una alone", "una", "", 0, ""},
	{"reject: fr article un alone", "un", "", 0, ""},
	{"reject: pt article um alone", "um", "", 0, ""},

	// A question is a conversation, not a score.
	{"reject: question en digit", "5?", "", 0, ""},
	{"reject: question en word", "good?", "", 0, ""},
	{"reject: question en fraction", "4/5?", "", 0, ""},
	{"reject: question en stars", "⭐⭐⭐⭐⭐?", "", 0, ""},
	{"reject: question en mixed marks", "5 ?!", "", 0, ""},
	{"reject: question fr spaced mark", "Très bien ?", "", 0, ""},
	{"reject: question es inverted marks", "¿5?", "", 0, ""},
	{"reject: question es opening mark only", "¿Excelente", "", 0, ""},
	{"reject: question pt word", "ótimo?", "", 0, ""},
	{"reject: question pt label", "nota 5?", "", 0, ""},
	{"reject: question face", "😊?", "", 0, ""},

	// A rating that comes with a request is a conversation.
	{"reject: request en", "5, can you call me back", "", 0, ""},
	{"reject: request en after a greeting", "Hi 😊 I need help", "", 0, ""},
	{"reject: request fr", "Merci, 5, j'ai une autre question", "", 0, ""},
	{"reject: request es", "5 por favor llámame", "", 0, ""},
	{"reject: request pt", "nota 5 mas preciso de ajuda", "", 0, ""},

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
	for _, w := range append(append([]string(nil), greetings...), thanksPhrases...) {
		got, ok := ParseRating("4 "+w, "")
		require.Equal(t, Rating{Value: 4, Method: MethodDigit}, got, "4 %q", w)
		require.True(t, ok)
		got, ok = ParseRating(w+" très bien", "")
		require.Equal(t, Rating{Value: 5, Method: MethodWord}, got, "%q très bien", w)
		require.True(t, ok)
		for _, emoji := range []string{"😊", "⭐", "👍"} {
			_, ok = ParseRating(w+" "+emoji, "")
			require.False(t, ok, "%q %s: a greeting or thanks and an emoji alone", w, emoji)
		}
		_, ok = ParseRating(w, "")
		require.False(t, ok, "%q alone", w)
	}
	for _, w := range labels {
		got, ok := ParseRating(w+" 4", "")
		require.Equal(t, Rating{Value: 4, Method: MethodDigit}, got, "%q 4", w)
		require.True(t, ok)
		_, ok = ParseRating(w, "")
		require.False(t, ok, "%q alone", w)
		_, ok = ParseRating(w+" good", "")
		require.False(t, ok, "%q good: a label names a number", w)
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
		"pas": {{words: []string{"pas"}, roles: roleNegation | roleThanks}},
		"mal": {{words: []string{"mal"}, roles: roleRating, rating: 2}},
	}
	toks, ok := tokenize("pas mal")
	require.True(t, ok)
	_, ok = lexItems(toks, lx)
	require.False(t, ok)
}
