package twilio

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"net/url"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/stretchr/testify/require"
)

// sdkSign is the signing step of Twilio's helper libraries written out
// from their documented behaviour, independently of Verifier: the URL,
// then each key (sorted with less) followed by each of its distinct values
// (sorted with less), HMAC-SHA1 with the token, base64. twilio-python
// sorts by code point (= byte order for UTF-8); twilio-node by UTF-16 code
// unit (JavaScript's sort).
func sdkSign(token, rawURL string, params url.Values, less func(a, b string) int) string {
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, less)
	s := rawURL
	for _, k := range keys {
		vs := slices.Clone(params[k])
		slices.SortFunc(vs, less)
		vs = slices.Compact(vs)
		for _, v := range vs {
			s += k + v
		}
	}
	mac := hmac.New(sha1.New, []byte(token))
	mac.Write([]byte(s))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

func pythonOrder(a, b string) int { return strings.Compare(a, b) }
func nodeOrder(a, b string) int {
	return slices.Compare(utf16.Encode([]rune(a)), utf16.Encode([]rune(b)))
}

// TestVerifierSDKParity: the desk accepts what Twilio's official helper
// libraries accept, and only with the channel's token (issue 13, defect 8).
// Each case is a request as the desk sees it (configured URL plus the
// query it received) and the URL and parameters Twilio signed, with the
// behaviour of twilio-node (webhooks.ts: new URL() normalisation, port
// removed, default port added, de-duplicated values, JavaScript sort),
// twilio-python (request_validator.py: port removed, default port added,
// sorted(set(values))) and twilio-csharp (same port variants).
func TestVerifierSDKParity(t *testing.T) {
	const token = "12345"
	msg := url.Values{"MessageSid": {"SM" + strings.Repeat("b", 32)}, "Body": {"hello"}, "From": {"whatsapp:+14155550100"}}
	cases := []struct {
		name     string
		checked  string // the URL the desk verifies
		signed   string // the URL Twilio signed
		params   url.Values
		sigOrder func(a, b string) int // nil: pythonOrder
		want     bool
	}{
		// Ports (all three SDKs).
		{name: "https with a non-default port, signed without it", checked: "https://desk.example.com:8443/livedesk/twilio/ch1",
			signed: "https://desk.example.com/livedesk/twilio/ch1", params: msg, want: true},
		{name: "https with a non-default port, signed with it", checked: "https://desk.example.com:8443/livedesk/twilio/ch1",
			signed: "https://desk.example.com:8443/livedesk/twilio/ch1", params: msg, want: true},
		{name: "http with a non-default port, signed without it", checked: "http://localhost:8080/livedesk/twilio/ch1",
			signed: "http://localhost/livedesk/twilio/ch1", params: msg, want: true},
		{name: "signed with :443, configured without a port", checked: "https://desk.example.com/livedesk/twilio/ch1",
			signed: "https://desk.example.com:443/livedesk/twilio/ch1", params: msg, want: true},
		{name: "signed with :80 over http", checked: "http://desk.example.com/livedesk/twilio/ch1",
			signed: "http://desk.example.com:80/livedesk/twilio/ch1", params: msg, want: true},
		{name: "signed with :80 over https is no variant", checked: "https://desk.example.com/livedesk/twilio/ch1",
			signed: "https://desk.example.com:80/livedesk/twilio/ch1", params: msg, want: false},
		{name: "signed over another non-default port", checked: "https://desk.example.com:8443/livedesk/twilio/ch1",
			signed: "https://desk.example.com:9443/livedesk/twilio/ch1", params: msg, want: false},
		// URL normalisation (twilio-node's new URL()).
		{name: "host case: configured in capitals, Twilio signs it normalised", checked: "https://Desk.Example.COM/livedesk/twilio/ch1",
			signed: "https://desk.example.com/livedesk/twilio/ch1", params: msg, want: true},
		{name: "host case: signed in capitals, checked in lower case", checked: "https://desk.example.com/livedesk/twilio/ch1",
			signed: "https://DESK.example.com/livedesk/twilio/ch1", params: msg, want: false},
		{name: "query: an apostrophe is escaped", checked: "https://desk.example.com/livedesk/twilio/ch1?name=O'Brien",
			signed: "https://desk.example.com/livedesk/twilio/ch1?name=O%27Brien", params: msg, want: true},
		{name: "query: a raw space and quotes are escaped", checked: "https://desk.example.com/livedesk/twilio/ch1?q=a b\"<>",
			signed: "https://desk.example.com/livedesk/twilio/ch1?q=a%20b%22%3C%3E", params: msg, want: true},
		{name: "query: non-ASCII is escaped", checked: "https://desk.example.com/livedesk/twilio/ch1?city=São",
			signed: "https://desk.example.com/livedesk/twilio/ch1?city=S%C3%A3o", params: msg, want: true},
		{name: "query: as received still works", checked: "https://desk.example.com/livedesk/twilio/ch1?name=O'Brien",
			signed: "https://desk.example.com/livedesk/twilio/ch1?name=O'Brien", params: msg, want: true},
		{name: "query: escapes are not decoded", checked: "https://desk.example.com/livedesk/twilio/ch1?name=O%27Brien",
			signed: "https://desk.example.com/livedesk/twilio/ch1?name=O'Brien", params: msg, want: false},
		{name: "query: a different value is no variant", checked: "https://desk.example.com/livedesk/twilio/ch1?tenant=acme",
			signed: "https://desk.example.com/livedesk/twilio/ch1?tenant=acmf", params: msg, want: false},
		{name: "path: dot segments resolved", checked: "https://desk.example.com/livedesk/./x/../twilio/ch1",
			signed: "https://desk.example.com/livedesk/twilio/ch1", params: msg, want: true},
		{name: "empty path is /", checked: "https://desk.example.com",
			signed: "https://desk.example.com/", params: msg, want: true},
		{name: "normalised and without its port", checked: "https://Desk.Example.com:8443/livedesk/twilio/ch1?q=a b",
			signed: "https://desk.example.com/livedesk/twilio/ch1?q=a%20b", params: msg, want: true},
		{name: "scheme is not changed", checked: "https://desk.example.com/livedesk/twilio/ch1",
			signed: "http://desk.example.com/livedesk/twilio/ch1", params: msg, want: false},
		// Parameters.
		{name: "repeated value signed once (node and python de-duplicate)", checked: "https://h.example/p",
			signed: "https://h.example/p", params: url.Values{"A": {"1", "1", "2"}, "B": {"x"}}, want: true},
		{name: "values of a key in sorted order", checked: "https://h.example/p",
			signed: "https://h.example/p", params: url.Values{"A": {"b", "a"}}, want: true},
		{name: "keys beyond U+FFFF in UTF-16 order (twilio-node)", checked: "https://h.example/p",
			signed: "https://h.example/p", params: url.Values{"\uFFFD": {"1"}, "😍": {"2"}, "A": {"3"}}, sigOrder: nodeOrder, want: true},
		{name: "keys beyond U+FFFF in code point order (twilio-python)", checked: "https://h.example/p",
			signed: "https://h.example/p", params: url.Values{"\uFFFD": {"1"}, "😍": {"2"}, "A": {"3"}}, sigOrder: pythonOrder, want: true},
		{name: "values beyond U+FFFF in UTF-16 order (twilio-node)", checked: "https://h.example/p",
			signed: "https://h.example/p", params: url.Values{"K": {"\uE000", "😍"}}, sigOrder: nodeOrder, want: true},
	}
	v := NewVerifier(token)
	wrong := NewVerifier("54321")
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			order := c.sigOrder
			if order == nil {
				order = pythonOrder
			}
			sig := sdkSign(token, c.signed, c.params, order)
			form := FormFromValues(c.params)
			require.Equal(t, c.want, v.Verify(c.checked, form, sig))
			require.False(t, wrong.Verify(c.checked, form, sig), "every variant needs the token")
			require.False(t, v.Verify(c.checked, form, sdkSign("54321", c.signed, c.params, order)), "signed with another token")
		})
	}
}

// TestVerifierRepeatedPairNotSignedTwice: a signature over a repeated
// key=value pair written twice is refused, as the SDKs refuse it.
func TestVerifierRepeatedPairNotSignedTwice(t *testing.T) {
	v := NewVerifier("12345")
	mac := hmac.New(sha1.New, []byte("12345"))
	mac.Write([]byte("https://h.example/pA1A1B2"))
	twice := base64.StdEncoding.EncodeToString(mac.Sum(nil))
	form := mustParse(t, "A=1&A=1&B=2")
	require.False(t, v.Verify("https://h.example/p", form, twice))
	require.True(t, v.Verify("https://h.example/p", form, sdkSign("12345", "https://h.example/p", url.Values{"A": {"1", "1"}, "B": {"2"}}, pythonOrder)))
	require.Equal(t, sdkSign("12345", "https://h.example/p", url.Values{"A": {"1", "1"}, "B": {"2"}}, pythonOrder), v.Sign("https://h.example/p", form))
}

func TestWhatwg(t *testing.T) {
	cases := map[string]string{
		"https://Desk.Example.com:443/a/b?x=1": "https://desk.example.com/a/b?x=1",
		"HTTP://h:080/":                        "http://h/",
		"https://h:08443":                      "https://h:8443/",
		"https://h/a/%2E%2e/b/./c/..":          "https://h/b/",
		`https://h/a\b`:                        "https://h/a/b",
		"https://h/é{}`?q='\"<> é%41":          "https://h/%C3%A9%7B%7D%60?q=%27%22%3C%3E%20%C3%A9%41",
		"https://h/p?a=b\tc\n":                 "https://h/p?a=bc",
		"https://h/p?":                         "https://h/p?",
		"https://[2001:DB8::1]:443/p":          "https://[2001:db8::1]/p",
	}
	for in, want := range cases {
		u := splitURL(in)
		require.Equal(t, want, string(appendWHATWG(nil, u.scheme, u.host, u.port, u.rest)), in)
	}
}
