package routing

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// appendFold appends the folded form of s to dst and returns it. The folded form is what every
// word test compares: the words of s, lower-cased, with Latin and Greek accents removed, each
// followed by one space, the whole preceded by one space:
//
//	"Je veux un REMBOURSÉ!"  ->  " je veux un rembourse "
//	"l'état, SVP 👍🏽"        ->  " l etat svp 👍 "
//
// A word is a run of letters and digits; combining marks are dropped without splitting the word;
// every other character separates words, except that a symbol such as an emoji is a word of its
// own (skin-tone modifiers are separators, so "👍🏽" folds to "👍"). With this shape a whole-word
// or whole-phrase test is a plain substring search for " word " or " two words ", and a prefix
// test for " word". The text of an empty or punctuation-only string folds to a single space.
//
// ASCII takes a byte-at-a-time fast path; other runes are folded one at a time without
// allocation, so the only allocation is dst growing (none when dst has room).
func appendFold(dst []byte, s string) []byte {
	dst = append(dst, ' ')
	inWord := false
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case 'a' <= c && c <= 'z' || '0' <= c && c <= '9':
				dst = append(dst, c)
				inWord = true
			case 'A' <= c && c <= 'Z':
				dst = append(dst, c+'a'-'A')
				inWord = true
			default:
				if inWord {
					dst = append(dst, ' ')
					inWord = false
				}
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r >= 0xC0 && r <= 0xFF && latin1Base[r-0xC0] != '.' {
			// The accented letters of Western European languages, without a table lookup in norm.
			dst = append(dst, latin1Base[r-0xC0])
			inWord = true
			i += size
			continue
		}
		switch {
		case unicode.Is(unicode.Mn, r):
			// A combining accent (text typed in decomposed form): drop it, stay in the word.
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			dst = appendLetter(dst, r, s[i:i+size])
			inWord = true
		case unicode.Is(unicode.So, r):
			if inWord {
				dst = append(dst, ' ')
			}
			dst = append(dst, s[i:i+size]...)
			dst = append(dst, ' ')
			inWord = false
		default:
			if inWord {
				dst = append(dst, ' ')
				inWord = false
			}
		}
		i += size
	}
	if inWord {
		dst = append(dst, ' ')
	}
	return dst
}

// latin1Base maps U+00C0..U+00FF to the lower-case base letter ("É" -> 'e'), or '.' where
// appendLetter decides (Æ, ß, Ð, Þ, and the signs × and ÷). TestLatin1BaseAgreesWithNorm checks it.
const latin1Base = "aaaaaa.ceeeeiiii.nooooo.ouuuuy.." + "aaaaaa.ceeeeiiii.nooooo.ouuuuy.y"

// appendLetter appends the lower-case, accent-free form of the letter or digit r (whose UTF-8
// encoding is enc).
func appendLetter(dst []byte, r rune, enc string) []byte {
	switch r {
	// Letters with no canonical decomposition that people still type for their base letters.
	case 'ß', 'ẞ':
		return append(dst, "ss"...)
	case 'æ', 'Æ':
		return append(dst, "ae"...)
	case 'œ', 'Œ':
		return append(dst, "oe"...)
	case 'ø', 'Ø':
		return append(dst, 'o')
	case 'ł', 'Ł':
		return append(dst, 'l')
	case 'đ', 'Đ':
		return append(dst, 'd')
	case 'ı':
		return append(dst, 'i')
	case 'ς':
		r = 'σ' // Greek final sigma is the same letter as sigma
	}
	if foldsAccents(r) {
		// The first rune of the canonical decomposition is the base letter: "é" = "e" + U+0301.
		if d := norm.NFD.PropertiesString(enc).Decomposition(); len(d) > 0 {
			r, _ = utf8.DecodeRune(d)
		}
	}
	r = unicode.ToLower(r)
	if r < utf8.RuneSelf {
		return append(dst, byte(r))
	}
	return utf8.AppendRune(dst, r)
}

// foldsAccents reports whether accents are stripped from r: Latin and Greek letters only. In other
// scripts a mark often makes a different letter (Japanese が is not か), so those are kept as typed.
func foldsAccents(r rune) bool {
	return r >= 0x00C0 && r <= 0x024F || // Latin-1 Supplement, Latin Extended-A and -B
		r >= 0x1E00 && r <= 0x1EFF || // Latin Extended Additional (Vietnamese...)
		r >= 0x0370 && r <= 0x03FF || // Greek and Coptic
		r >= 0x1F00 && r <= 0x1FFF // Greek Extended
}
