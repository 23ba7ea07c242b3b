package twilio

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"hash"
	"strings"
	"sync"
)

// SignatureHeader is the header Twilio puts its request signature in.
const SignatureHeader = "X-Twilio-Signature"

// Verifier checks X-Twilio-Signature for one Auth Token, with Twilio's
// algorithm (HMAC-SHA1 of the URL followed by the sorted parameters, each
// key immediately followed by its value; base64). It is safe for concurrent
// use and reuses its HMAC states, so a verification allocates nothing.
//
// It differs from twilio-go's client.RequestValidator in two ways, both
// checked against Twilio's published vectors in the tests: a repeated form
// key signs all its values in sorted order (as twilio-python and
// twilio-node do; twilio-go only signs the first), and a URL with a
// non-default port is only tried as it is (Twilio keeps such ports).
type Verifier struct {
	key  []byte
	pool sync.Pool // *signState
}

type signState struct {
	mac hash.Hash
	buf []byte
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
	sum := st.sign(u.variant(st.buf[:0], u.port), form)
	return base64.StdEncoding.EncodeToString(sum)
}

// Verify reports whether signature is Twilio's signature of a request to
// rawURL carrying form. Twilio is inconsistent about default ports, so
// (like Twilio's own libraries) the URL is tried as given and with the
// default port (443, 80) added or removed. The comparison is constant-time.
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
	ok := hmac.Equal(st.sign(u.variant(st.buf[:0], u.port), form), want[:sha1.Size])
	if alt, has := u.otherPort(); has {
		ok = hmac.Equal(st.sign(u.variant(st.buf[:0], alt), form), want[:sha1.Size]) || ok
	}
	return ok
}

// sign appends the sorted parameters to the URL in buf and returns the
// HMAC, stored after the string to sign in st.buf.
func (st *signState) sign(buf []byte, form Form) []byte {
	for _, p := range form.params {
		buf = append(buf, p.Key...)
		buf = append(buf, p.Value...)
	}
	st.mac.Reset()
	st.mac.Write(buf)
	sum := st.mac.Sum(buf[len(buf):])
	st.buf = buf[:0]
	return sum
}

// urlParts is a URL split around its port: scheme://[userinfo@]host[:port]rest.
type urlParts struct {
	head string // scheme://host, no userinfo, no port
	port string // "" or ":443"
	rest string // path and query, no fragment
	def  string // the scheme's default port, ":443" or ":80", or ""
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
	u := urlParts{head: raw[:len(scheme)+3+len(userinfo)+len(host)], port: port, rest: rest}
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

// otherPort is the port variant to try besides the URL's own: the default
// port added when there is none, removed when it is the default.
func (u urlParts) otherPort() (string, bool) {
	switch {
	case u.def == "":
		return "", false
	case u.port == "":
		return u.def, true
	case u.port == u.def:
		return "", true
	}
	return "", false
}

func (u urlParts) variant(buf []byte, port string) []byte {
	buf = append(buf, u.head...)
	buf = append(buf, port...)
	return append(buf, u.rest...)
}
