package twilio

import (
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	twclient "github.com/twilio/twilio-go/client"
)

// Twilio's published vectors and the worked example of TWILIO.md §3.5.
const (
	docsURL       = "https://mycompany.com/myapp.php?foo=1&bar=2"
	exampleURL    = "https://support.example.com/twilio/whatsapp/inbound?tenant=acme"
	exampleBody   = "AccountSid=ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa&ApiVersion=2010-04-01&Body=Hello%2C+I+need+help+with+order+%23123&From=whatsapp%3A%2B14155550100&MessageSid=SMbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb&NumMedia=0&ProfileName=Ana&SmsMessageSid=SMbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb&SmsSid=SMbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb&SmsStatus=received&To=whatsapp%3A%2B14155238886&WaId=14155550100"
	exampleSig    = "syHfz+T6Q6ShucwAWyXyaFn6jlc="
	example443Sig = "RcN1Q4/Pu6yqjw6ZuM/fJPyIm58="
)

func docsForm() Form {
	return FormFromValues(url.Values{
		"CallSid": {"CA1234567890ABCDE"}, "Caller": {"+12349013030"}, "Digits": {"1234"},
		"From": {"+12349013030"}, "To": {"+18005551212"},
	})
}

func mustParse(t testing.TB, body string) Form {
	t.Helper()
	f, err := ParseForm([]byte(body))
	require.NoError(t, err)
	return f
}

func TestVerifierPublishedVectors(t *testing.T) {
	v := NewVerifier("12345")
	twilioGoSuite := FormFromValues(url.Values{
		"CallSid": {"CA1234567890ABCDE"}, "Caller": {"+14158675309"}, "Digits": {"1234"},
		"From": {"+14158675309"}, "To": {"+18005551212"}, "Reason": {"Participant"}, "ReasonConferenceEnded": {"test"},
	})
	cases := []struct {
		name string
		url  string
		form Form
		sig  string
		want bool
	}{
		{"docs vector", docsURL, docsForm(), "0/KCTR6DLpKmkAf8muzZqo1nDgQ=", true},
		{"twilio-go suite vector (keys sorted, not key+value)", docsURL, twilioGoSuite, "vOEb5UThFn24KEfnOFLQY2AE5FY=", true},
		{"worked example", exampleURL, mustParse(t, exampleBody), exampleSig, true},
		{"worked example with :443 in the URL", "https://support.example.com:443/twilio/whatsapp/inbound?tenant=acme", mustParse(t, exampleBody), exampleSig, true},
		{"signature computed with :443 accepted on the URL without port", exampleURL, mustParse(t, exampleBody), example443Sig, true},
		{"http scheme", "http://support.example.com/twilio/whatsapp/inbound?tenant=acme", mustParse(t, exampleBody), exampleSig, false},
		{"query string missing", "https://support.example.com/twilio/whatsapp/inbound", mustParse(t, exampleBody), exampleSig, false},
		{"query moved into the form", "https://support.example.com/twilio/whatsapp/inbound", mustParse(t, exampleBody+"&tenant=acme"), exampleSig, false},
		{"query also in the form", exampleURL, mustParse(t, exampleBody+"&tenant=acme"), exampleSig, false},
		{"tampered body", exampleURL, mustParse(t, strings.Replace(exampleBody, "order", "ordre", 1)), exampleSig, false},
		{"extra parameter", exampleURL, mustParse(t, exampleBody+"&X=1"), exampleSig, false},
		{"fragment is not signed", exampleURL + "#rc=3&rp=ct,5xx", mustParse(t, exampleBody), exampleSig, true},
		{"empty signature", exampleURL, mustParse(t, exampleBody), "", false},
		{"garbage signature", exampleURL, mustParse(t, exampleBody), "not base64!", false},
		{"truncated signature", exampleURL, mustParse(t, exampleBody), exampleSig[:20], false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			require.Equal(t, c.want, v.Verify(c.url, c.form, c.sig))
		})
	}
	require.False(t, NewVerifier("54321").Verify(exampleURL, mustParse(t, exampleBody), exampleSig), "wrong token")
	require.Equal(t, exampleSig, v.Sign(exampleURL, mustParse(t, exampleBody)))
	require.Equal(t, example443Sig, v.Sign("https://support.example.com:443/twilio/whatsapp/inbound?tenant=acme", mustParse(t, exampleBody)))
}

func TestVerifierPorts(t *testing.T) {
	v := NewVerifier("12345")
	f := docsForm()
	cases := []struct {
		name, signed, checked string
		want                  bool
	}{
		{"default port added", "https://h.example/p", "https://h.example:443/p", true},
		{"default port removed", "https://h.example:443/p", "https://h.example/p", true},
		{"http default port", "http://h.example/p", "http://h.example:80/p", true},
		{"non-default port kept", "https://h.example:8443/p", "https://h.example:8443/p", true},
		{"non-default port removed (Twilio signs some HTTPS webhooks without it)", "https://h.example/p", "https://h.example:8443/p", true},
		{"another non-default port is not tried", "https://h.example:9443/p", "https://h.example:8443/p", false},
		{"a non-default port is not added", "https://h.example:8443/p", "https://h.example/p", false},
		{"wrong default port for scheme", "https://h.example:80/p", "https://h.example/p", false},
		{"ipv6 literal with default port", "https://[2001:db8::1]/p", "https://[2001:db8::1]:443/p", true},
		{"ipv6 literal without port is not mistaken for a port", "https://[2001:db8::1]/p", "https://[2001:db8::1]/p", true},
		{"credentials in the URL are not signed", "https://h.example/p", "https://user:pass@h.example/p", true},
		{"host without path", "https://h.example", "https://h.example:443", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			require.Equal(t, c.want, v.Verify(c.checked, f, v.Sign(c.signed, f)))
		})
	}
}

// TestVerifierAgreesWithTwilioGo checks our Verifier against twilio-go's own
// RequestValidator on the same inputs.
func TestVerifierAgreesWithTwilioGo(t *testing.T) {
	rv := twclient.NewRequestValidator("12345")
	v := NewVerifier("12345")
	for _, u := range []string{exampleURL, "https://support.example.com:443/x", "http://a.example/b?c=d&e=f", docsURL} {
		form := mustParse(t, exampleBody)
		sig := v.Sign(u, form)
		require.True(t, rv.ValidateBody(u, []byte(exampleBody), sig), "twilio-go accepts our signature for %s", u)
		require.True(t, v.Verify(u, form, sig))
	}
	// Repeated keys: Twilio signs every value (sorted); twilio-go only the
	// first, which is why we do not delegate to it.
	repeated := mustParse(t, "A=2&A=1&B=x")
	sig := v.Sign(docsURL, repeated)
	require.True(t, v.Verify(docsURL, repeated, sig))
	require.False(t, rv.ValidateBody(docsURL, []byte("A=2&A=1&B=x"), sig))
	m := twclient.NewRequestValidator("12345")
	require.True(t, m.Validate(docsURL, map[string]string{}, v.Sign(docsURL, Form{})), "empty form")
}

func TestVerifierAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates; run without -race to check allocations")
	}
	v := NewVerifier("12345")
	f := mustParse(t, exampleBody)
	v.Verify(exampleURL, f, exampleSig) // warm the pool
	allocs := testing.AllocsPerRun(100, func() {
		if !v.Verify(exampleURL, f, exampleSig) {
			t.Fatal("rejected")
		}
	})
	require.Zero(t, allocs)
	// A refused signature tries every variant (port, normalisation), still
	// without allocating.
	odd := "https://Support.Example.com:8443/twilio/./whatsapp/inbound?tenant=a b'"
	v.Verify(odd, f, example443Sig)
	allocs = testing.AllocsPerRun(100, func() {
		if v.Verify(odd, f, example443Sig) {
			t.Fatal("accepted")
		}
	})
	require.Zero(t, allocs)
}

func BenchmarkVerify(b *testing.B) {
	v := NewVerifier("12345")
	f := mustParse(b, exampleBody)
	b.ReportAllocs()
	for b.Loop() {
		if !v.Verify(exampleURL, f, exampleSig) {
			b.Fatal("rejected")
		}
	}
}

func BenchmarkParseFormAndVerify(b *testing.B) {
	v := NewVerifier("12345")
	body := []byte(exampleBody)
	b.ReportAllocs()
	for b.Loop() {
		f, err := ParseForm(body)
		if err != nil || !v.Verify(exampleURL, f, exampleSig) {
			b.Fatal("rejected")
		}
	}
}
