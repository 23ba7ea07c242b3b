package openai

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Markdown the models write out of habit, and its WhatsApp equivalent.
// These are compiled once and never modified.
var (
	mdHeading = regexp.MustCompile(`^#{1,6}\s+(.+?)\s*#*\s*$`)
	mdBold    = regexp.MustCompile(`\*\*([^*\n]+?)\*\*`)
	mdStrike  = regexp.MustCompile(`~~([^~\n]+?)~~`)
	mdLink    = regexp.MustCompile(`\[([^\]\n]+)\]\((https?://[^)\s]+)\)`)
)

// whatsAppText turns the Markdown a model writes into WhatsApp formatting:
// **bold** becomes *bold*, ~~struck~~ ~struck~, a "# Heading"
// line a bold line, and [text](url) "text (url)" (WhatsApp shows bare
// links). Code blocks are left alone: WhatsApp shows ``` blocks as they
// are.
func whatsAppText(s string) string {
	if !strings.ContainsAny(s, "*~#[") {
		return s
	}
	lines := strings.Split(s, "\n")
	inCode := false
	for i, line := range lines {
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			inCode = !inCode
			continue
		}
		if inCode {
			continue
		}
		if m := mdHeading.FindStringSubmatch(line); m != nil {
			line = "*" + strings.Trim(m[1], "*") + "*"
		}
		line = mdBold.ReplaceAllString(line, "*$1*")
		line = mdStrike.ReplaceAllString(line, "~$1~")
		line = mdLink.ReplaceAllStringFunc(line, func(l string) string {
			m := mdLink.FindStringSubmatch(l)
			if m[1] == m[2] {
				return m[2]
			}
			return m[1] + " (" + m[2] + ")"
		})
		lines[i] = line
	}
	return strings.Join(lines, "\n")
}

// fit returns s cut to at most limit characters (runes, as the desk
// counts): at the last sentence end or line break that fits, so the
// customer gets whole sentences; failing that (one endless sentence) at the
// last space with an ellipsis; failing that, hard.
func fit(s string, limit int) string {
	if utf8.RuneCountInString(s) <= limit {
		return s
	}
	end := runeOffset(s, limit) // s[:end] is the longest prefix that fits
	if b := lastBoundary(s, end); b > 0 {
		if cut := strings.TrimRightFunc(s[:b], unicode.IsSpace); cut != "" {
			return cut
		}
	}
	end = runeOffset(s, limit-1) // room for the ellipsis
	if i := strings.LastIndexFunc(s[:end], unicode.IsSpace); i > 0 {
		if cut := strings.TrimRightFunc(s[:i], unicode.IsSpace); cut != "" {
			return cut + "…"
		}
	}
	return s[:end] + "…"
}

// cutIncomplete drops the unfinished sentence an answer stopped by the
// token limit ends with, when an earlier one is complete.
func cutIncomplete(s string) string {
	if b := lastBoundary(s, len(s)); b > 0 {
		if cut := strings.TrimRightFunc(s[:b], unicode.IsSpace); cut != "" {
			return cut
		}
	}
	return s
}

// runeOffset is the byte offset of the n-th rune of s (len(s) past its end).
func runeOffset(s string, n int) int {
	for i := range s {
		if n == 0 {
			return i
		}
		n--
	}
	return len(s)
}

// lastBoundary is the byte offset in s[:end] after the last sentence end
// (., !, ?, … and their CJK forms, with any closing quotes or brackets,
// followed by a space or the end of s) or before the last line break; 0
// when there is none.
func lastBoundary(s string, end int) int {
	best := 0
	for i, r := range s[:end] {
		if r == '\n' {
			best = i
			continue
		}
		if !isSentenceEnd(r) {
			continue
		}
		j := i + utf8.RuneLen(r)
		for j < end {
			c, size := utf8.DecodeRuneInString(s[j:])
			if !isCloser(c) {
				break
			}
			j += size
		}
		if j > end {
			continue
		}
		if j == len(s) {
			best = j
			continue
		}
		if next, _ := utf8.DecodeRuneInString(s[j:]); unicode.IsSpace(next) || isCJKEnd(r) {
			best = j
		}
	}
	return best
}

func isSentenceEnd(r rune) bool {
	switch r {
	case '.', '!', '?', '…':
		return true
	}
	return isCJKEnd(r)
}

// isCJKEnd: CJK full stops need no space after them.
func isCJKEnd(r rune) bool { return r == '。' || r == '！' || r == '？' }

func isCloser(r rune) bool {
	switch r {
	case '"', '\'', ')', ']', '»', '”', '’', '」', '』':
		return true
	}
	return false
}
