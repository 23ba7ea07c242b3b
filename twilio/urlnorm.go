package twilio

import (
	"strconv"
	"strings"
)

// whatwg writes an http(s) URL the way a WHATWG URL parser serialises it
// (twilio-node passes every URL through new URL(...).toString() before
// signing), for the parts that change a webhook URL:
//
//   - tabs and newlines are removed, leading and trailing spaces and
//     control characters trimmed;
//   - scheme and ASCII host in lower case; the port as a plain number,
//     dropped when it is the scheme's default;
//   - the path: "\" read as "/", "." and ".." segments (also
//     percent-encoded as %2e) resolved, "/" when empty, and control
//     characters, space, " # < > ? ` { } and non-ASCII bytes
//     percent-encoded;
//   - the query: control characters, space, " # < > ' and non-ASCII bytes
//     percent-encoded.
//
// An existing percent-escape is kept as it is. Not done: IDNA mapping of a
// non-ASCII host and IPv6 address compression.
func whatwg(scheme, host, port, rest string) string {
	scheme = strings.ToLower(scheme)
	var b strings.Builder
	b.Grow(len(scheme) + len(host) + len(rest) + 16)
	b.WriteString(scheme)
	b.WriteString("://")
	b.WriteString(asciiLower(host))
	if p := normPort(scheme, port); p != "" {
		b.WriteByte(':')
		b.WriteString(p)
	}
	rest = strings.TrimRightFunc(stripTabsNewlines(rest), func(r rune) bool { return r <= ' ' })
	path, query, hasQuery := strings.Cut(rest, "?")
	b.WriteString(normPath(path))
	if hasQuery {
		b.WriteByte('?')
		escape(&b, query, queryEscaped)
	}
	return b.String()
}

func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			return strings.ToLower(s)
		}
	}
	return s
}

func stripTabsNewlines(s string) string {
	if !strings.ContainsAny(s, "\t\n\r") {
		return s
	}
	return strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(s)
}

// normPort returns the port's number without leading zeros, or "" for no
// port or the scheme's default. A port that is not a number is kept as it
// is (a WHATWG parser would refuse the URL).
func normPort(scheme, port string) string {
	digits := strings.TrimPrefix(port, ":")
	if digits == "" {
		return ""
	}
	n, err := strconv.ParseUint(digits, 10, 16)
	if err != nil {
		return digits
	}
	if (scheme == "https" && n == 443) || (scheme == "http" && n == 80) {
		return ""
	}
	return strconv.FormatUint(n, 10)
}

// normPath resolves dot segments and escapes what WHATWG escapes in a path.
func normPath(path string) string {
	path = strings.ReplaceAll(path, `\`, "/")
	if path == "" {
		return "/"
	}
	segs := strings.Split(strings.TrimPrefix(path, "/"), "/")
	out := make([]string, 0, len(segs))
	for i, s := range segs {
		last := i == len(segs)-1
		switch ls := strings.ToLower(s); ls {
		case "..", ".%2e", "%2e.", "%2e%2e":
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
			if last {
				out = append(out, "")
			}
		case ".", "%2e":
			if last {
				out = append(out, "")
			}
		default:
			out = append(out, s)
		}
	}
	var b strings.Builder
	for _, s := range out {
		b.WriteByte('/')
		escape(&b, s, pathEscaped)
	}
	return b.String()
}

func pathEscaped(c byte) bool  { return c <= ' ' || c >= 0x7f || strings.IndexByte("\"#<>?`{}", c) >= 0 }
func queryEscaped(c byte) bool { return c <= ' ' || c >= 0x7f || strings.IndexByte("\"#<>'", c) >= 0 }

func escape(b *strings.Builder, s string, escaped func(byte) bool) {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		if escaped(c) {
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
			continue
		}
		b.WriteByte(c)
	}
}
