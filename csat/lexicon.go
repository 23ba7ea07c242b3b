package csat

import "sync"

// The lexicon is the closed vocabulary the rating parser understands. Every
// word of a reply must be found here (after lower-casing and removing
// accents), otherwise the reply is not a rating: an unknown word is exactly the
// case where reading a score would be a guess ("5 minutes late", "1 or 2").

// role says what a lexicon entry can do in a reply. One spelling may have
// several roles ("super" is a rating and an intensifier, "tres" is a Spanish
// number and, written "très", a French intensifier).
type role uint16

const (
	roleRating      role = 1 << iota // a quality word; value 1..5
	roleIntensifier                  // "very": lifts 4 to 5 and 2 to 1
	roleNumber                       // a number word; value 1..5
	roleOne                          // an article meaning one, only before a star word ("une étoile")
	roleStarWord                     // "stars", "étoiles"...
	roleConnector                    // between N and 5: "out of", "sur", "de"...
	roleGreeting                     // a greeting tolerated at either end: "hi", "bonjour", "bom dia"...
	roleThanks                       // thanks tolerated at either end: "thanks", "merci bien"...
	roleLabel                        // names the score before a number: "nota 5", "note : 4/5"
	roleNegation                     // "not", "pas", "no", "não": the whole reply is rejected
)

// lexEntry is one spelling (one or more accent-free, lower-case words).
type lexEntry struct {
	words  []string
	roles  role
	rating int // 1..5 with roleRating
	number int // 1..5 with roleNumber or roleOne
}

// ratingWords maps quality words to the 1..5 scale used by the default survey
// text: 1 very bad, 2 bad, 3 average, 4 good, 5 excellent. "Very"-type
// intensifiers are handled by rule (very good = 5, very bad = 1), not listed.
// "ok"/"okay"/"fine" are deliberately absent: customers use them to acknowledge
// a message, not to rate it.
var ratingWords = [5][]string{
	// 1
	{
		"terrible", "horrible", "awful", "dreadful", "abysmal", "worst", // en (+fr/es terrible, horrible)
		"nul", "nulle", "catastrophique", "lamentable", // fr (+es lamentable)
		"pesimo", "pesima", "horroroso", "horrorosa", "desastroso", "desastrosa", // es
		"pessimo", "pessima", "horrivel", "terrivel", // pt
	},
	// 2
	{
		"bad", "poor", "mediocre", "disappointing", "dissatisfied", "unsatisfied", "unhappy", // en (+fr/es mediocre)
		"mauvais", "mauvaise", "decevant", "decevante", "insatisfait", "insatisfaite", // fr
		"malo", "mala", "mal", "decepcionante", "insatisfecho", "insatisfecha", // es (+pt mal, decepcionante)
		"ruim", "mau", "fraco", "fraca", "insatisfeito", "insatisfeita", // pt
	},
	// 3
	{
		"average", "neutral", "fair", "meh", "so so", "acceptable", // en (+fr acceptable)
		"moyen", "moyenne", "bof", "passable", "neutre", "comme ci comme ca", // fr
		"regular", "aceptable", "neutro", "neutra", "mas o menos", // es (+pt regular, neutro)
		"razoavel", "aceitavel", "mais ou menos", // pt
	},
	// 4
	{
		"good", "nice", "satisfied", "happy", // en
		"bien", "bon", "bonne", "satisfait", "satisfaite", "content", "contente", // fr (+es bien, pt contente)
		"bueno", "buena", "satisfecho", "satisfecha", "contento", "contenta", // es
		"bom", "boa", "bem", "satisfeito", "satisfeita", // pt
	},
	// 5
	{
		"excellent", "perfect", "amazing", "awesome", "fantastic", "outstanding", "superb",
		"wonderful", "great", "brilliant", "best", "super", // en (+fr super, excellent)
		"excellente", "parfait", "parfaite", "genial", "fantastique", "superbe", "magnifique",
		"formidable", "impeccable", // fr (+es genial)
		"excelente", "perfecto", "perfecta", "fantastico", "fantastica", "maravilloso", "maravillosa",
		"estupendo", "estupenda", "increible", "impecable", // es (+pt excelente, fantastico)
		"otimo", "otima", "perfeito", "perfeita", "maravilhoso", "maravilhosa", "incrivel", "impecavel", // pt
	},
}

// intensifiers turn a good word into 5 and a bad word into 1. "tres" is only an
// intensifier when written "très" or "tres" before a word; alone it is the
// Spanish/Portuguese number three (see numberWord).
var intensifiers = []string{
	"very", "really", "so", "extremely", "super", // en
	"tres", "vraiment", // fr
	"muy",   // es
	"muito", // pt
}

// numberWords are number words usable wherever a digit is. Spanish "uno" is
// the number itself ("un"/"una" are its article forms); French "un" and
// Portuguese "um" double as articles (and "um" as English hesitation), so they
// count only before a star word.
var numberWords = [5][]string{
	{"one", "uno"},
	{"two", "deux", "dos", "dois", "duas"},
	{"three", "trois", "tres"},
	{"four", "quatre", "cuatro", "quatro"},
	{"five", "cinq", "cinco"},
}

// oneArticles mean "one" only in "une étoile", "una estrella", "uma estrela":
// alone they are articles, not ratings.
var oneArticles = []string{"un", "une", "una", "um", "uma"}

var starWords = []string{"star", "stars", "etoile", "etoiles", "estrella", "estrellas", "estrela", "estrelas"}

var connectors = []string{"out of", "of", "sur", "de", "sobre"}

// greetings and thanksPhrases may surround a rating ("Bom dia, 5", "5,
// thanks!", "Merci, très bien") but carry no score, and never stand in for one:
// "Hi 😊" and "Merci 🌟" are not ratings (see combine). A phrase that contains
// a quality word ("good morning", "bom dia", "merci bien", "muchas gracias")
// is listed whole, so the longest match reads it as a greeting or thanks, not
// as "good", "bom", "bien" or "muy".
var greetings = []string{
	"hi", "hello", "hey", "hi there", "hello there", "good morning", "good afternoon", "good evening", // en
	"bonjour", "bonsoir", "salut", "coucou", // fr
	"hola", "buenos dias", "buen dia", "buenas", "buenas tardes", "buenas noches", // es
	"oi", "ola", "bom dia", "boa tarde", "boa noite", // pt
}

var thanksPhrases = []string{
	"thanks", "thank you", "thank u", "thanks a lot", "thanks so much", "thank you so much",
	"thank you very much", "thanks very much", "many thanks", "thanks again", "thank you again",
	"much appreciated", "thx", "ty", "tks", "tysm", "cheers", // en
	"merci", "merci beaucoup", "merci bien", "merci mille fois", "mille mercis", "merci infiniment",
	"merci encore",                                                                 // fr
	"gracias", "muchas gracias", "muchisimas gracias", "mil gracias", "muy amable", // es
	"obrigado", "obrigada", "muito obrigado", "muito obrigada", "obrigadao", "obrigadinho", "obrigadinha",
	"brigado", "brigada", "obg", "valeu", // pt
}

// labels name the score and must be followed by one: "nota 5" (how
// Brazilian and Spanish-speaking customers answer), "note : 4/5",
// "calificación 5", "rating: 5 stars".
var labels = []string{
	"rating", "score", "note", // en, fr note
	"nota", "calificacion", "puntuacion", "puntaje", "avaliacao", // es (+pt nota), pt
}

// negations make a reply unreadable as a score: "not good", "pas mal" and
// "não é bom" must never be rated by their positive word.
var negations = []string{
	"not", "no", "never", "nor", "without", // en
	"pas", "ne", "non", "jamais", "sans", "ni", // fr (+es ni)
	"nunca", "nada", "sin", // es (+pt nunca, nada)
	"nao", "nem", "sem", // pt
}

// lexicon is the parser's vocabulary, keyed by first word.
type lexicon map[string][]lexEntry

// sharedLexicon builds the vocabulary on first use; the map is read-only
// afterwards, so concurrent ParseRating calls share it safely.
var sharedLexicon = sync.OnceValue(newLexicon)

func newLexicon() lexicon {
	lx := lexicon{}
	add := func(phrase string, r role, v int) {
		words := splitWords(phrase)
		first := words[0]
		i := 0
		for i < len(lx[first]) && !equalWords(lx[first][i].words, words) {
			i++
		}
		if i == len(lx[first]) {
			lx[first] = append(lx[first], lexEntry{words: words})
		}
		e := &lx[first][i]
		e.roles |= r
		switch r {
		case roleRating:
			e.rating = v
		case roleNumber, roleOne:
			e.number = v
		}
	}
	for i, ws := range ratingWords {
		for _, w := range ws {
			add(w, roleRating, i+1)
		}
	}
	for i, ws := range numberWords {
		for _, w := range ws {
			add(w, roleNumber, i+1)
		}
	}
	for _, w := range intensifiers {
		add(w, roleIntensifier, 0)
	}
	for _, w := range oneArticles {
		add(w, roleOne, 1)
	}
	for _, w := range starWords {
		add(w, roleStarWord, 0)
	}
	for _, w := range connectors {
		add(w, roleConnector, 0)
	}
	for _, w := range greetings {
		add(w, roleGreeting, 0)
	}
	for _, w := range thanksPhrases {
		add(w, roleThanks, 0)
	}
	for _, w := range labels {
		add(w, roleLabel, 0)
	}
	for _, w := range negations {
		add(w, roleNegation, 0)
	}
	return lx
}

func splitWords(s string) []string {
	var out []string
	start := -1
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ' ' {
			if start >= 0 {
				out = append(out, s[start:i])
				start = -1
			}
			continue
		}
		if start < 0 {
			start = i
		}
	}
	return out
}

func equalWords(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// faceValue is the emoji table: the score of a face emoji, 0 for anything
// else. Variation selectors and skin tones are removed before lookup. Faces not
// listed (🤔, 😬, 😅...) make a reply unreadable, as do emoji that are neither
// faces nor agreeing emoji (see agreeSide).
//
//	1 angry, disgusted, despairing: 😡 😠 🤬 😞 😭 😫 😩 🤮
//	2 unhappy, disappointed:        😕 🙁 ☹ 😟 😒 😔 😢
//	3 neutral:                      😐 😑 😶
//	4 smiling:                      🙂 😊 ☺
//	5 delighted:                    😍 🤩 😁 😃 😀 😄 🥰 😻
func faceValue(r rune) int {
	switch r {
	case '😡', '😠', '🤬', '😞', '😭', '😫', '😩', '🤮':
		return 1
	case '😕', '🙁', '☹', '😟', '😒', '😔', '😢':
		return 2
	case '😐', '😑', '😶':
		return 3
	case '🙂', '😊', '☺':
		return 4
	case '😍', '🤩', '😁', '😃', '😀', '😄', '🥰', '😻':
		return 5
	}
	return 0
}

// isTears reports the crying faces: next to thanks they are tears of
// gratitude ("Thank you so much 😭🙏"), not a low score.
func isTears(r rune) bool { return r == '😭' || r == '😢' }

// agreeSide is the table of agreeing emoji: +1 for approval (thumbs up,
// hearts, applause...), -1 for thumbs down, 0 for anything else. They do not
// say where on a 1–5 scale the customer stands, so they are never a rating on
// their own ("👍" acknowledges a message), but they may sit beside a number,
// stars or a word pointing the same way: "5 👍", "⭐⭐⭐⭐⭐ ❤️", "1 👎".
//
//	+1  👍 👌 👏 🙌 💪 💯 ✨ 🎉 ✅ ❤ ♥ 🧡 💛 💚 💙 💜 🩷 💖 💗 💕
//	-1  👎
func agreeSide(r rune) int {
	switch r {
	case '👍', '👌', '👏', '🙌', '💪', '💯', '✨', '🎉', '✅',
		'❤', '♥', '🧡', '💛', '💚', '💙', '💜', '🩷', '💖', '💗', '💕':
		return 1
	case '👎':
		return -1
	}
	return 0
}

// Star symbols: filled ones count, empty ones may follow them ("★★★★☆").
const (
	starFilled = '★'
	starEmpty  = '☆'
	starEmoji  = '⭐'
	starGlow   = '🌟'
)

// thanksEmoji is a polite emoji tolerated like a filler word ("5 🙏").
const thanksEmoji = '🙏'
