package routing

import (
	"regexp"
	"regexp/syntax"
	"strings"
	"unicode/utf8"
)

// textRegexp is a compiled text_matches regexp with a literal prefilter.
//
// Go's regexp engine is linear-time but slow on unanchored patterns (about 2 µs for a 100-byte
// message), and a rule list often holds several. Most patterns contain a literal every match must
// include ("order" in `(?i)\border[- ]?\d+`); when the message does not contain it, which is the
// common case, the regexp cannot match and is not run.
type textRegexp struct {
	re   *regexp.Regexp
	lit  string // a substring of every match, or "" when none was found
	fold bool   // lit is lower-case ASCII compared case-insensitively
}

func compileRegexp(expr string) (*textRegexp, error) {
	re, err := regexp.Compile(expr)
	if err != nil {
		return nil, err
	}
	tr := &textRegexp{re: re}
	// The same flags as regexp.Compile, so the tree describes the same language.
	if tree, err := syntax.Parse(expr, syntax.Perl); err == nil {
		tr.lit, tr.fold = requiredLiteral(tree.Simplify())
	}
	return tr, nil
}

func (tr *textRegexp) match(text string) bool {
	if tr.lit != "" {
		if tr.fold {
			if !containsFoldASCII(text, tr.lit) {
				return false
			}
		} else if !strings.Contains(text, tr.lit) {
			return false
		}
	}
	return tr.re.MatchString(text)
}

// requiredLiteral returns the longest literal that every match of re contains, and whether it
// is matched case-insensitively (then it is returned in lower case). It returns "" when it
// finds none. Only shapes where the answer is certain are analysed: a literal, and a concatenation,
// capture or repetition of at least one of something that has one; alternations yield nothing.
func requiredLiteral(re *syntax.Regexp) (string, bool) {
	switch re.Op {
	case syntax.OpLiteral:
		return literalOf(re)
	case syntax.OpCapture, syntax.OpPlus:
		return requiredLiteral(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return requiredLiteral(re.Sub[0])
		}
	case syntax.OpConcat:
		best, bestFold := "", false
		for _, sub := range re.Sub {
			if lit, fold := requiredLiteral(sub); len(lit) > len(best) {
				best, bestFold = lit, fold
			}
		}
		return best, bestFold
	}
	return "", false
}

// literalOf returns the usable literal of an OpLiteral node. A case-sensitive literal is used
// whole. A case-insensitive one is used only as far as an ASCII-only comparison is exact: Go's
// (?i) also matches "k" to the Kelvin sign U+212A and "s" to the long s U+017F, and non-ASCII
// letters have non-ASCII case partners, so the longest run free of those is taken.
func literalOf(re *syntax.Regexp) (string, bool) {
	lit := string(re.Rune)
	if re.Flags&syntax.FoldCase == 0 {
		return lit, false
	}
	best, start := "", 0
	for i := 0; i <= len(lit); i++ {
		if i < len(lit) && lit[i] < utf8.RuneSelf && !strings.ContainsRune("kKsS", rune(lit[i])) {
			continue
		}
		if i-start > len(best) {
			best = lit[start:i]
		}
		start = i + 1
	}
	return strings.ToLower(best), true
}

// containsFoldASCII reports whether s contains lit (lower-case ASCII) ignoring ASCII case.
func containsFoldASCII(s, lit string) bool {
	first, last := lit[0], len(s)-len(lit)
	if first < 'a' || first > 'z' {
		// Not a letter: the first byte is exact, let IndexByte find it.
		for i := 0; i <= last; i++ {
			j := strings.IndexByte(s[i:last+1], first)
			if j < 0 {
				return false
			}
			i += j
			if asciiEqualFold(s[i:i+len(lit)], lit) {
				return true
			}
		}
		return false
	}
	for i := 0; i <= last; i++ {
		// For a lower-case letter, c|0x20 == first exactly when c is that letter in either case.
		if s[i]|0x20 == first && asciiEqualFold(s[i:i+len(lit)], lit) {
			return true
		}
	}
	return false
}

func asciiEqualFold(s, lower string) bool {
	for i := 0; i < len(lower); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}
