package csat

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Limits that keep parsing cheap and reject long messages outright: a rating
// reply is a few words ("5, thanks!", "★★★★☆", "très bien merci"), so anything
// longer is a message for the agent, not a score.
const (
	maxTextBytes = 128
	maxTokens    = 16
)

type tokenKind uint8

const (
	tokWord tokenKind = iota + 1
	tokDigit
	tokSlash
	tokStar      // a filled star: ★ ⭐ 🌟
	tokEmptyStar // ☆
	tokFace      // an emoji face from faceValue
	tokAgree     // an agreeing emoji from agreeSide: 👍 ❤️ 👏 ... 👎
	tokThanks    // 🙏
)

// token is one meaningful unit of a reply. Separators (spaces, punctuation,
// WhatsApp formatting marks) produce no token.
type token struct {
	kind  tokenKind
	tears bool   // tokFace: a crying face (isTears); beside kind, so it costs no space
	value int    // tokDigit: 1..5; tokFace: 1..5; tokAgree: +1 or -1
	word  string // tokWord: lower-case, accents removed
	raw   string // tokWord: lower-case, accents kept ("très" vs "tres")
}

// tokenize splits text into tokens. It returns false as soon as the text
// cannot be a rating whatever the grammar says: invalid UTF-8, too long, a
// number other than a single digit 1..5, a signed number, a question mark, or
// a symbol outside the known stars, faces and agreeing emoji.
func tokenize(text string) ([]token, bool) {
	if len(text) > maxTextBytes || !utf8.ValidString(text) {
		return nil, false
	}
	s := norm.NFC.String(text)
	toks := make([]token, 0, 8)
	var word, raw []byte
	flush := func() {
		if len(raw) > 0 {
			toks = append(toks, token{kind: tokWord, word: string(word), raw: string(raw)})
			word, raw = word[:0], raw[:0]
		}
	}
	prev := rune(-1)
	for _, r := range s {
		p := prev
		prev = r
		if unicode.IsLetter(r) {
			lr := unicode.ToLower(r)
			raw = utf8.AppendRune(raw, lr)
			word = appendFolded(word, lr)
			continue
		}
		if unicode.In(r, unicode.Mn, unicode.Me) {
			// Accents left uncomposed, variation selectors (U+FE0F) and the
			// keycap mark of "5️⃣" carry nothing.
			continue
		}
		flush()
		switch {
		case r >= '0' && r <= '9':
			if p >= '0' && p <= '9' || p == '-' || r == '0' || r > '5' {
				// "10", "05", "-1", "0", "6"...: not on the 1..5 scale.
				return nil, false
			}
			toks = append(toks, token{kind: tokDigit, value: int(r - '0')})
		case r == '?' || r == '¿':
			// "5?", "good?", "¿Excelente?": a question is a conversation
			// (the customer checks what to answer, or asks something),
			// not a score.
			return nil, false
		case r == '/':
			toks = append(toks, token{kind: tokSlash})
		case r == starFilled || r == starEmoji || r == starGlow:
			toks = append(toks, token{kind: tokStar})
		case r == starEmpty:
			toks = append(toks, token{kind: tokEmptyStar})
		case r == thanksEmoji:
			toks = append(toks, token{kind: tokThanks})
		case faceValue(r) > 0:
			toks = append(toks, token{kind: tokFace, value: faceValue(r), tears: isTears(r)})
		case agreeSide(r) != 0:
			toks = append(toks, token{kind: tokAgree, value: agreeSide(r)})
		case isSeparator(r):
		default:
			// Any other symbol or emoji (including a zero-width joiner, which
			// would glue a known face into an unknown one) is not understood.
			return nil, false
		}
		if len(toks) > maxTokens {
			return nil, false
		}
	}
	flush()
	return toks, len(toks) <= maxTokens
}

// appendFolded appends r without its accents (é → e, ç → c, ã → a).
func appendFolded(b []byte, r rune) []byte {
	if r < utf8.RuneSelf {
		return append(b, byte(r))
	}
	var buf [utf8.UTFMax]byte
	n := utf8.EncodeRune(buf[:], r)
	for _, c := range norm.NFD.String(string(buf[:n])) {
		if !unicode.Is(unicode.Mn, c) {
			b = utf8.AppendRune(b, c)
		}
	}
	return b
}

// isSeparator reports runes that only separate words: spaces, sentence
// punctuation other than question marks, quotes, and WhatsApp's formatting
// marks (*bold*, _italic_, `mono`). Zero-width spaces and direction marks
// pasted from other apps are separators too.
func isSeparator(r rune) bool {
	if unicode.IsSpace(r) {
		return true
	}
	switch r {
	case '.', ',', '!', ';', ':', '-', '–', '—', '\'', '’', '‘', '"', '“', '”', '«', '»',
		'(', ')', '[', ']', '…', '¡', '*', '_', '`', '·',
		'\u200b', '\u200e', '\u200f', '\u2060', '\ufeff', '\U0001f3fb', '\U0001f3fc', '\U0001f3fd', '\U0001f3fe', '\U0001f3ff':
		return true
	}
	return false
}
