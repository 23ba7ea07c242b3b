package openai

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf16"
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

// fit returns s cut to at most limit characters as Twilio counts them:
// UTF-16 code units, so an emoji outside the Basic Multilingual Plane
// counts 2. It cuts at the last sentence end or line break that fits, so
// the customer gets whole sentences; failing that (one endless sentence) at
// the last space with an ellipsis; failing that, hard.
func fit(s string, limit int) string {
	if utf16Len(s) <= limit {
		return s
	}
	end := unitOffset(s, limit) // s[:end] is the longest prefix that fits
	if b := lastBoundary(s, end); b > 0 {
		if cut := strings.TrimRightFunc(s[:b], unicode.IsSpace); cut != "" {
			return cut
		}
	}
	end = unitOffset(s, limit-1) // room for the ellipsis
	if i := strings.LastIndexFunc(s[:end], unicode.IsSpace); i > 0 {
		if cut := strings.TrimRightFunc(s[:i], unicode.IsSpace); cut != "" {
			return cut + "…"
		}
	}
	return s[:end] + "…"
}

// cutIncomplete drops the unfinished sentence an answer stopped by the
// token limit ends with. It returns "" when no sentence was finished: a
// sentence cut in the middle is not sent.
func cutIncomplete(s string) string {
	if b := lastBoundary(s, len(s)); b > 0 {
		return strings.TrimRightFunc(s[:b], unicode.IsSpace)
	}
	return ""
}

// utf16Len is the length of s in UTF-16 code units, how Twilio counts a
// message's characters.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += units(r)
	}
	return n
}

// units is r's length in UTF-16 code units.
func units(r rune) int {
	if w := utf16.RuneLen(r); w > 0 {
		return w
	}
	return 1 // invalid UTF-8 is sent as U+FFFD
}

// unitOffset is the byte offset of the end of the longest prefix of s that
// is at most n UTF-16 code units (len(s) when all of s is).
func unitOffset(s string, n int) int {
	for i, r := range s {
		w := units(r)
		if w > n {
			return i
		}
		n -= w
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
