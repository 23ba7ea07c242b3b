package console

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
)

// contentSecurityPolicy allows nothing inline: scripts and styles come only
// from the console's embedded assets, the page talks only to its own origin,
// and it cannot be framed.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

func setSecurityHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Cache-Control", "no-store")
}

// csrfCookie holds a random value per browser; the token in forms is its
// HMAC under the console's key, so a page from another origin can neither
// read nor forge it (double submit, signed).
const csrfCookie = "livedesk_console_csrf"

// csrfField is the form field (or X-CSRF-Token header) carrying the token.
const csrfField = "csrf_token"

// ensureCSRFCookie returns the token for the request's cookie, setting a
// new cookie when there is none.
func (c *Console) ensureCSRFCookie(w http.ResponseWriter, r *http.Request) string {
	if ck, err := r.Cookie(csrfCookie); err == nil && len(ck.Value) >= 32 {
		return c.csrfToken(ck.Value)
	}
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	v := base64.RawURLEncoding.EncodeToString(b)
	http.SetCookie(w, &http.Cookie{Name: csrfCookie, Value: v, Path: c.base + "/", HttpOnly: true,
		Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode})
	// The cookie is set on this response: the forms it renders carry the
	// matching token.
	r.AddCookie(&http.Cookie{Name: csrfCookie, Value: v})
	return c.csrfToken(v)
}

func (c *Console) csrfToken(cookie string) string {
	m := hmac.New(sha256.New, c.csrf)
	m.Write([]byte(cookie))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// checkCSRF returns why a state-changing request is refused, or "".
func (c *Console) checkCSRF(r *http.Request) string {
	if o := r.Header.Get("Origin"); o != "" && o != "null" {
		u, err := url.Parse(o)
		if err != nil || u.Host != r.Host {
			return "cross-origin request"
		}
	}
	if r.Header.Get("Sec-Fetch-Site") == "cross-site" {
		return "cross-site request"
	}
	ck, err := r.Cookie(csrfCookie)
	if err != nil {
		return "no CSRF cookie"
	}
	got := r.Header.Get("X-CSRF-Token")
	if got == "" {
		got = r.PostFormValue(csrfField)
	}
	if got == "" {
		return "no CSRF token"
	}
	if !hmac.Equal([]byte(got), []byte(c.csrfToken(ck.Value))) {
		return "bad CSRF token"
	}
	return ""
}

type reqInfo struct {
	user User
	csrf string
}

type ctxKey struct{}

func withRequest(ctx context.Context, ri *reqInfo) context.Context {
	return context.WithValue(ctx, ctxKey{}, ri)
}

func info(r *http.Request) *reqInfo {
	ri, _ := r.Context().Value(ctxKey{}).(*reqInfo)
	if ri == nil {
		return &reqInfo{}
	}
	return ri
}

// admin wraps a handler that only admins may use.
func (c *Console) admin(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if info(r).user.Role != RoleAdmin {
			c.refuse(w, r, http.StatusForbidden, "Only admins can open this page.")
			return
		}
		h(w, r)
	}
}
