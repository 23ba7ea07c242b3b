package twilio

import (
	"net/url"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	twclient "github.com/twilio/twilio-go/client"
)

// FuzzParseAndVerify drives the webhook's parse+verify path with arbitrary
// bodies and signatures. Its seed corpus runs in every go test.
func FuzzParseAndVerify(f *testing.F) {
	f.Add(exampleBody, exampleSig)
	f.Add("A=2&A=1&B=x", "")
	f.Add("Body=%F0%9F%98%8D&From=whatsapp%3A%2B1&x", "AAAAAAAAAAAAAAAAAAAAAAAAAAA=")
	f.Add("a=%zz", "!!")
	f.Add("=&&==&%20=+", "syHfz+T6Q6ShucwAWyXyaFn6jlc=")
	v := NewVerifier("12345")
	rv := twclient.NewRequestValidator("12345")
	f.Fuzz(func(t *testing.T, body, sig string) {
		form, err := ParseForm([]byte(body))
		std, stdErr := url.ParseQuery(body)
		if !strings.Contains(body, ";") && (err == nil) != (stdErr == nil) {
			t.Fatalf("ParseForm error %v, url.ParseQuery error %v", err, stdErr)
		}
		if err != nil {
			return
		}
		// Same parameters as the standard library.
		var want []Param
		for k, vs := range std {
			for _, x := range vs {
				want = append(want, Param{k, x})
			}
		}
		sortParams(want)
		if !slices.Equal(form.Params(), want) {
			t.Fatalf("ParseForm %v, url.ParseQuery %v", form.Params(), want)
		}
		if in, err := ParseInbound(form); err == nil {
			if err := in.Check(); err != nil {
				t.Fatalf("ParseInbound returned what a store refuses: %v", err)
			}
		}
		_, _ = ParseStatus(form) // must not panic
		good := v.Sign(exampleURL, form)
		if !v.Verify(exampleURL, form, good) {
			t.Fatal("own signature rejected")
		}
		if sig != good && v.Verify(exampleURL, form, sig) && v.Sign("https://support.example.com:443/twilio/whatsapp/inbound?tenant=acme", form) != sig {
			t.Fatalf("foreign signature %q accepted", sig)
		}
		// Whatever an official SDK would accept (signed over the URL with
		// the port removed or added, in either library's order), we accept.
		if utf8.ValidString(body) {
			values := url.Values{}
			for _, p := range form.Params() {
				values[p.Key] = append(values[p.Key], p.Value)
			}
			for _, signed := range []string{exampleURL, "https://support.example.com:443/twilio/whatsapp/inbound?tenant=acme"} {
				for _, order := range []func(a, b string) int{pythonOrder, nodeOrder} {
					if !v.Verify("https://support.example.com/twilio/whatsapp/inbound?tenant=acme", form, sdkSign("12345", signed, values, order)) {
						t.Fatalf("an SDK signature over %s refused", signed)
					}
				}
			}
		}
		unique := true
		for i := 1; i < len(want); i++ {
			unique = unique && want[i].Key != want[i-1].Key
		}
		if unique && !rv.ValidateBody(exampleURL, []byte(body), good) {
			t.Fatal("twilio-go rejects our signature")
		}
	})
}
