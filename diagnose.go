package livedesk

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/livedesk/livedesk/twilio"
)

// sigError is a failed signature check, with what is needed to tell why
// it failed when the rejection is logged (see diagnoseSignature).
type sigError struct {
	msg    string
	e      *channelEntry
	signed string // the URL the desk expects Twilio to sign, query included
	query  string
	form   twilio.Form
	sig    string
}

func (s *sigError) Error() string { return s.msg }
func (s *sigError) Unwrap() error { return errSignature }

func withQuery(u, q string) string {
	if q == "" {
		return u
	}
	return u + "?" + q
}

// diagnoseSignature tells a PublicURL that is not the URL Twilio signs
// from a wrong Auth Token. It builds the URLs the request could have been
// signed over, from its Host, X-Forwarded-Proto and X-Forwarded-Host
// headers, the path it arrived with and PublicURL's path, with both
// schemes (the Verifier adds the default ports), and checks the signature
// over each. This is diagnosis only: a match never accepts the request
// (the headers are the sender's choice). It costs a few dozen HMACs, so it
// only runs for rejection lines the rate limit lets through.
func diagnoseSignature(r *http.Request, err error) (string, bool) {
	var se *sigError
	if !errors.As(err, &se) || se.sig == "" {
		return "", false
	}
	for _, cand := range signatureCandidates(r, se.signed, se.query) {
		if cand == se.signed {
			continue
		}
		for _, v := range se.e.verifiers {
			if v.Verify(cand, se.form, se.sig) {
				return fmt.Sprintf("Twilio signed %s; PublicURL gives %s: set PublicURL to what Twilio is configured with",
					sanitizeN(cand, maxReason/2), sanitizeN(se.signed, maxReason/2)), true
			}
		}
	}
	return "no URL matches: check the Auth Token (or the request did not come from Twilio)", true
}

// signatureCandidates lists the URLs a request may have been signed over,
// without duplicates.
func signatureCandidates(r *http.Request, signed, query string) []string {
	var schemes, hosts, paths []string
	add := func(list *[]string, v string) {
		v = strings.TrimSpace(v)
		if v == "" {
			return
		}
		for _, x := range *list {
			if x == v {
				return
			}
		}
		*list = append(*list, v)
	}
	first := func(h string) string { v, _, _ := strings.Cut(r.Header.Get(h), ","); return v }
	add(&schemes, strings.ToLower(first("X-Forwarded-Proto")))
	if r.TLS != nil {
		add(&schemes, "https")
	}
	add(&schemes, "https")
	add(&schemes, "http")
	add(&hosts, first("X-Forwarded-Host"))
	add(&hosts, r.Host)
	pub, perr := url.Parse(signed)
	if perr == nil {
		add(&hosts, pub.Host)
	}
	// The path as it arrived (before a router stripped a prefix), then
	// the one PublicURL gives.
	if u, err := url.ParseRequestURI(r.RequestURI); err == nil {
		add(&paths, u.EscapedPath())
	}
	add(&paths, r.URL.EscapedPath())
	if perr == nil {
		add(&paths, pub.EscapedPath())
	}
	var out []string
	for _, s := range schemes {
		for _, h := range hosts {
			for _, p := range paths {
				u := s + "://" + h + p
				if query != "" {
					u += "?" + query
				}
				out = append(out, u)
			}
		}
	}
	return out
}
