package twilio

import (
	"bytes"
	"strconv"
	"strings"
)

// appendWHATWG appends an http(s) URL the way a WHATWG URL parser
// serialises it (twilio-node passes every URL through new URL(...)
// .toString() before signing), for the parts that change a webhook URL:
//
//   - tabs and newlines are removed, trailing spaces and control
//     characters trimmed;
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
// non-ASCII host and IPv6 address compression. It allocates only when the
// URL holds a tab or newline.
func appendWHATWG(dst []byte, scheme, host, port, rest string) []byte {
	dst = appendLower(dst, scheme)
	dst = append(dst, "://"...)
	dst = appendLower(dst, host)
	dst = appendPort(dst, strings.ToLower(scheme), port)
	if strings.ContainsAny(rest, "\t\n\r") {
		rest = strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(rest)
	}
	rest = strings.TrimRightFunc(rest, func(r rune) bool { return r <= ' ' })
	path, query, hasQuery := strings.Cut(rest, "?")
	dst = appendPath(dst, path)
	if hasQuery {
		dst = append(dst, '?')
		dst = appendEscaped(dst, query, queryEscaped)
	}
	return dst
}

func appendLower(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

// appendPort appends ":" and the port's number without leading zeros,
// nothing for no port or the scheme's default. A port that is not a number
// is kept as it is (a WHATWG parser would refuse the URL).
func appendPort(dst []byte, scheme, port string) []byte {
	digits := strings.TrimPrefix(port, ":")
	if digits == "" {
		return dst
	}
	n, err := strconv.ParseUint(digits, 10, 16)
	if err != nil {
		return append(append(dst, ':'), digits...)
	}
	if (scheme == "https" && n == 443) || (scheme == "http" && n == 80) {
		return dst
	}
	return strconv.AppendUint(append(dst, ':'), n, 10)
}

// appendPath resolves dot segments and escapes what WHATWG escapes in a
// path.
func appendPath(dst []byte, path string) []byte {
	if path == "" {
		return append(dst, '/')
	}
	start := len(dst)
	p := path
	if p[0] == '/' || p[0] == '\\' {
		p = p[1:]
	}
	for {
		seg, next, more := p, "", false
		if i := strings.IndexAny(p, `/\`); i >= 0 {
			seg, next, more = p[:i], p[i+1:], true
		}
		switch {
		case isDotDot(seg):
			if j := bytes.LastIndexByte(dst[start:], '/'); j >= 0 {
				dst = dst[:start+j]
			}
			if !more {
				dst = append(dst, '/')
			}
		case seg == "." || strings.EqualFold(seg, "%2e"):
			if !more {
				dst = append(dst, '/')
			}
		default:
			dst = appendEscaped(append(dst, '/'), seg, pathEscaped)
		}
		if !more {
			return dst
		}
		p = next
	}
}

func isDotDot(s string) bool {
	return s == ".." || strings.EqualFold(s, ".%2e") || strings.EqualFold(s, "%2e.") || strings.EqualFold(s, "%2e%2e")
}

func pathEscaped(c byte) bool  { return c <= ' ' || c >= 0x7f || strings.IndexByte("\"#<>?`{}", c) >= 0 }
func queryEscaped(c byte) bool { return c <= ' ' || c >= 0x7f || strings.IndexByte("\"#<>'", c) >= 0 }

func appendEscaped(dst []byte, s string, escaped func(byte) bool) []byte {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		if escaped(c) {
			dst = append(dst, '%', hex[c>>4], hex[c&15])
			continue
		}
		dst = append(dst, c)
	}
	return dst
}
