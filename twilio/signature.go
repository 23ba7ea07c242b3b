package twilio

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"hash"
	"slices"
	"strings"
	"sync"
	"unicode/utf16"
)

// SignatureHeader is the header Twilio puts its request signature in.
const SignatureHeader = "X-Twilio-Signature"

// Verifier checks X-Twilio-Signature for one Auth Token, with Twilio's
// algorithm (HMAC-SHA1 of the URL followed by the sorted parameters, each
// key immediately followed by its value; base64). It is safe for concurrent
// use and reuses its HMAC states and buffers, so a verification allocates
// nothing (unless a parameter holds characters at or above U+E000, whose
// UTF-16 order is sorted in a copy).
//
// It accepts what Twilio's official helper libraries accept (twilio-node,
// twilio-python, twilio-csharp, and twilio-go's client.RequestValidator for
// forms without repeated keys), every variant still checked with the HMAC
// of the token:
//
//   - the URL as given; with its port removed, whatever the port (Twilio
//     signs some HTTPS webhooks to https://host:8443/... without the port);
//     with the scheme's default port (:443, :80) added when it has none;
//   - the URL normalised as a WHATWG URL parser (twilio-node's new URL())
//     writes it, with and without its port: scheme and host in lower case,
//     the default port dropped, an empty path as "/", "." and ".." path
//     segments resolved, and the characters WHATWG escapes in a path or a
//     query (space, quotes, < > ` { } and non-ASCII) percent-encoded;
//   - parameters sorted by key then value in byte order (= code point
//     order, twilio-python) and, when it differs, in UTF-16 code unit order
//     (JavaScript's sort, twilio-node); a key=value pair repeated in the
//     form is signed once, as both do.
//
// Sign produces the first form of each: the URL as given, byte order.
type Verifier struct {
	key  []byte
	pool sync.Pool // *signState
}

type signState struct {
	mac hash.Hash
	buf []byte // the string to sign, then its HMAC
	alt []byte // the URL variants, one after the other
}

// NewVerifier returns a Verifier for an Auth Token.
func NewVerifier(authToken string) *Verifier {
	v := &Verifier{key: []byte(authToken)}
	v.pool.New = func() any {
		return &signState{mac: hmac.New(sha1.New, v.key), buf: make([]byte, 0, 2048)}
	}
	return v
}

// Sign returns the signature Twilio would send for a request to rawURL
// (exactly as configured in Twilio, without fragment) carrying form.
func (v *Verifier) Sign(rawURL string, form Form) string {
	st := v.pool.Get().(*signState)
	defer v.pool.Put(st)
	u := splitURL(rawURL)
	sum := st.sign(u.variant(st.buf[:0], u.port), form.params)
	return base64.StdEncoding.EncodeToString(sum)
}

// Verify reports whether signature is Twilio's signature of a request to
// rawURL carrying form, for any of the URL and parameter-order variants
// listed on Verifier. Each comparison is constant-time.
func (v *Verifier) Verify(rawURL string, form Form, signature string) bool {
	// 28 base64 characters decode to at most 21 bytes; only a padded
	// encoding of exactly 20 bytes is a signature.
	var want [24]byte
	if len(signature) != base64.StdEncoding.EncodedLen(sha1.Size) {
		return false
	}
	if n, err := base64.StdEncoding.Decode(want[:], []byte(signature)); err != nil || n != sha1.Size {
		return false
	}
	st := v.pool.Get().(*signState)
	defer v.pool.Put(st)
	u := splitURL(rawURL)
	mac := want[:sha1.Size]
	// The URL as given, in byte order: what Twilio sends.
	if hmac.Equal(st.sign(u.variant(st.buf[:0], u.port), form.params), mac) {
		return true
	}
	ends, n := st.variants(u)
	try := func(ps []Param, from int) bool {
		start := 0
		if from > 0 {
			start = ends[from-1]
		}
		for i := from; i < n; i++ {
			variant := st.alt[start:ends[i]]
			start = ends[i]
			if hmac.Equal(st.sign(append(st.buf[:0], variant...), ps), mac) {
				return true
			}
		}
		return false
	}
	if try(form.params, 1) {
		return true
	}
	if js, differs := utf16Order(form.params); differs {
		return try(js, 0)
	}
	return false
}

// variants writes the URL variants to try into st.alt, one after the
// other and without repeats, the URL as given first, and returns where
// each ends: the port removed, the default port added, and the WHATWG
// normalisation of the URL with and without its port.
func (st *signState) variants(u urlParts) (ends [5]int, n int) {
	alt := st.alt[:0]
	keep := func(start int) { // drops alt[start:] if it repeats an earlier variant
		prev := 0
		for i := range n {
			if bytes.Equal(alt[prev:ends[i]], alt[start:]) {
				alt = alt[:start]
				return
			}
			prev = ends[i]
		}
		ends[n] = len(alt)
		n++
	}
	s := len(alt)
	alt = u.variant(alt, u.port)
	keep(s)
	s = len(alt)
	alt = u.variant(alt, "")
	keep(s)
	if u.port == "" && u.def != "" {
		s = len(alt)
		alt = u.variant(alt, u.def)
		keep(s)
	}
	if u.def != "" {
		s = len(alt)
		alt = appendWHATWG(alt, u.scheme, u.host, u.port, u.rest)
		keep(s)
		s = len(alt)
		alt = appendWHATWG(alt, u.scheme, u.host, "", u.rest)
		keep(s)
	}
	st.alt = alt
	return ends, n
}

// sign appends the parameters (a repeated key=value pair once) to the URL
// in buf and returns the HMAC, stored after the string to sign in st.buf.
func (st *signState) sign(buf []byte, params []Param) []byte {
	for i, p := range params {
		if i > 0 && p == params[i-1] {
			continue
		}
		buf = append(buf, p.Key...)
		buf = append(buf, p.Value...)
	}
	st.mac.Reset()
	st.mac.Write(buf)
	sum := st.mac.Sum(buf[len(buf):])
	st.buf = buf[:0]
	return sum
}

// utf16Order returns params sorted by key then value in UTF-16 code unit
// order (JavaScript's default sort, which twilio-node uses), and whether
// that differs from their byte order. It only differs when a string holds
// a character at or above U+E000 (lead byte 0xEE or more).
func utf16Order(params []Param) ([]Param, bool) {
	high := false
	for _, p := range params {
		if hasHigh(p.Key) || hasHigh(p.Value) {
			high = true
			break
		}
	}
	if !high {
		return nil, false
	}
	js := slices.Clone(params)
	slices.SortStableFunc(js, func(a, b Param) int {
		if c := compareUTF16(a.Key, b.Key); c != 0 {
			return c
		}
		return compareUTF16(a.Value, b.Value)
	})
	return js, !slices.Equal(js, params)
}

func hasHigh(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0xEE {
			return true
		}
	}
	return false
}

// compareUTF16 compares a and b as sequences of UTF-16 code units.
func compareUTF16(a, b string) int {
	return slices.Compare(utf16.Encode([]rune(a)), utf16.Encode([]rune(b)))
}

// urlParts is a URL split around its port: scheme://[userinfo@]host[:port]rest.
type urlParts struct {
	head   string // scheme://host, no userinfo, no port
	scheme string
	host   string
	port   string // "" or ":443"
	rest   string // path and query, no fragment
	def    string // the scheme's default port, ":443" or ":80", or ""
}

func splitURL(raw string) urlParts {
	if i := strings.IndexByte(raw, '#'); i >= 0 {
		raw = raw[:i]
	}
	scheme, after, ok := strings.Cut(raw, "://")
	if !ok {
		return urlParts{head: raw}
	}
	hostEnd := strings.IndexAny(after, "/?")
	if hostEnd < 0 {
		hostEnd = len(after)
	}
	host, rest := after[:hostEnd], after[hostEnd:]
	userinfo := ""
	if at := strings.LastIndexByte(host, '@'); at >= 0 {
		userinfo, host = host[:at+1], host[at+1:]
	}
	port := ""
	if c := strings.LastIndexByte(host, ':'); c >= 0 && c > strings.LastIndexByte(host, ']') {
		host, port = host[:c], host[c:]
	}
	u := urlParts{head: raw[:len(scheme)+3+len(userinfo)+len(host)], scheme: scheme, host: host, port: port, rest: rest}
	if userinfo != "" {
		u.head = scheme + "://" + host // Twilio signs the URL without credentials
	}
	switch strings.ToLower(scheme) {
	case "https":
		u.def = ":443"
	case "http":
		u.def = ":80"
	}
	return u
}

func (u urlParts) variant(buf []byte, port string) []byte {
	buf = append(buf, u.head...)
	buf = append(buf, port...)
	return append(buf, u.rest...)
}
