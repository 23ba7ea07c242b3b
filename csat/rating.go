package csat

import "strings"

// Method says how a reply was understood as a rating.
type Method string

// The ways a reply can be understood. When a reply combines several signals
// that agree ("5 - Excellent", "5 😊"), the most precise one is reported, in
// this order: payload, fraction or stars with a number, digit, star symbols,
// word, emoji.
const (
	MethodPayload  Method = "payload"  // a list item or button id made by Payload
	MethodDigit    Method = "digit"    // "5", "5!", "5️⃣", "5 - Excellent"
	MethodFraction Method = "fraction" // "4/5", "4 out of 5", "4 sur 5", "4 de 5"
	MethodStars    Method = "stars"    // "5 stars", "5 étoiles", "★★★★☆", "⭐⭐⭐", "5 ⭐"
	MethodEmoji    Method = "emoji"    // "😍", "🙂" (see the table in the package doc)
	MethodWord     Method = "word"     // "excellent", "très bien", "muy malo", "péssimo", "five"
)

// Rating is a customer's answer to a survey.
type Rating struct {
	// Value is the score, 1 (very bad) to 5 (excellent).
	Value int `json:"value"`
	// Method says how the reply was understood.
	Method Method `json:"method"`
}

// ParseRating reads a customer's reply to a survey as a 1–5 rating.
//
// payload is the id of the tapped list item or button (Twilio's ButtonPayload,
// or a list selection id), empty for typed text. A non-empty payload decides
// alone: a payload made by Payload gives its score, any other payload gives
// no rating, even if text (which then holds the tapped title) looks like one,
// because the tap was on something other than this survey. ParseRating does
// not check the payload's survey id: use ParsePayload for that.
//
// Without a payload, text is parsed with a closed grammar and vocabulary (see
// the package doc). Anything that is not clearly one score is rejected rather
// than guessed: unknown words ("5 minutes late"), two numbers ("2 3", "1 or
// 2"), numbers off the scale ("0", "6", "10/10", "4/10"), negations ("not
// good", "pas mal"), conflicting signals ("4 excellent", "1 😍"), questions
// ("5?"), greetings or thanks with only an emoji or a single star ("Hi 😊",
// "Merci 🌟") and long messages. Rejection returns the zero Rating and false;
// the desk then treats the message as an ordinary one.
//
// ParseRating never panics and never returns a value outside 1..5.
func ParseRating(text, payload string) (Rating, bool) {
	if p := strings.TrimSpace(payload); p != "" {
		_, n, ok := ParsePayload(p)
		if !ok {
			return Rating{}, false
		}
		return Rating{Value: n, Method: MethodPayload}, true
	}
	toks, ok := tokenize(text)
	if !ok {
		return Rating{}, false
	}
	items, ok := lexItems(toks, sharedLexicon())
	if !ok {
		return Rating{}, false
	}
	items, polite := trimPolite(items)
	segs, ok := segments(items)
	if !ok {
		return Rating{}, false
	}
	r, ok := combine(segs, polite)
	if !ok || r.Value < 1 || r.Value > 5 {
		return Rating{}, false
	}
	return r, true
}

// segment is one complete signal in a reply: "4/5", "5 stars", "★★★☆☆",
// "very good", "😍".
type segment struct {
	value   int
	method  Method
	numeric bool // built on a number: digit, number word, fraction, "N stars"
	lone    bool // a single filled star and nothing else: "⭐", "🌟"
	agree   int8 // an agreeing emoji, +1 (👍 ❤️) or -1 (👎); no value, no method
}

// combine accepts a reply whose signals all say the same score. At most one
// number is allowed ("2 3" and "5 5" are rejected: the customer may have meant
// two things, or a typo of "23"). Words and star symbols must agree exactly
// with the primary signal; an emoji next to other signals only has to point
// the same way (good 4–5, neutral 3, bad 1–2), since "5 😊" is a 5 said with a
// smile, not a 5 and a 4. An agreeing emoji (👍 ❤️ 👎) needs a number, stars
// or a word on its side: "5 👍" is a 5, but "👍", "3 👍" and "😊 👍" are not
// ratings.
//
// polite says the reply had greetings or thanks around its signals. They may
// surround a score, never stand in for one: when all that is left is faces
// or a single star ("Hi 😊", "Merci 🌟", "Thank you ⭐"), the emoji goes with
// the greeting and the reply is not a rating.
func combine(segs []segment, polite bool) (Rating, bool) {
	numeric := 0
	primary := -1
	weak := true // only faces and lone stars so far
	for i, s := range segs {
		if s.agree != 0 {
			continue
		}
		if s.numeric {
			numeric++
		}
		if s.method != MethodEmoji && !s.lone {
			weak = false
		}
		if primary < 0 || rank(s) < rank(segs[primary]) {
			primary = i
		}
	}
	if primary < 0 || numeric > 1 || (polite && weak) {
		return Rating{}, false
	}
	p := segs[primary]
	for _, s := range segs {
		switch {
		case s.agree != 0:
			if p.method == MethodEmoji || int(s.agree) != side(p.value) {
				return Rating{}, false
			}
		case s.method == MethodEmoji && p.method != MethodEmoji:
			if side(s.value) != side(p.value) {
				return Rating{}, false
			}
		case s.value != p.value:
			return Rating{}, false
		}
	}
	return Rating{Value: p.value, Method: p.method}, true
}

// rank orders segments by precision, lowest first.
func rank(s segment) int {
	switch {
	case s.numeric && (s.method == MethodFraction || s.method == MethodStars):
		return 0
	case s.numeric:
		return 1
	case s.method == MethodStars:
		return 2
	case s.method == MethodWord:
		return 3
	default:
		return 4
	}
}

// side is the direction of a score: -1 bad, 0 neutral, +1 good.
func side(v int) int {
	switch {
	case v <= 2:
		return -1
	case v == 3:
		return 0
	default:
		return 1
	}
}
