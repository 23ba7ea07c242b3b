package console

import (
	"crypto/hmac"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strings"
	"time"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed assets
var assetFS embed.FS

// assetHandler serves the embedded stylesheet and script. They change only
// with the binary, so browsers may keep them a day.
func assetHandler() http.Handler {
	sub, _ := fs.Sub(assetFS, "assets")
	files := http.FileServerFS(sub)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=86400")
		files.ServeHTTP(w, r)
	})
}

// pageNames are the screens; each is parsed with layout.html.
var pageNames = []string{"inbox", "channels", "channel_new", "channel_created", "settings", "agents", "report", "error"}

func parseTemplates() (map[string]*template.Template, error) {
	pages := map[string]*template.Template{}
	for _, name := range pageNames {
		t, err := template.New(name).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("console: templates: %w", err)
		}
		pages[name] = t
	}
	return pages, nil
}

var funcs = template.FuncMap{
	"join": strings.Join,
	"add":  func(a, b int) int { return a + b },
	"sub":  func(a, b int) int { return a - b },
	"pct": func(f float64) string {
		return fmt.Sprintf("%.0f%%", f*100)
	},
	"liveTypes": liveTypeList,
	"days":      func() []int { return []int{7, 30, 90} },
	"statuses":  func() []string { return []string{"online", "away", "offline"} },
	"loadPct": func(open, capacity int) int {
		if capacity <= 0 {
			return 0
		}
		return min(100, open*100/capacity)
	},
	"initial": func(s string) string {
		for _, r := range strings.TrimLeft(s, "+ ") {
			return strings.ToUpper(string(r))
		}
		return "?"
	},
}

// page is what every screen's template gets.
type page struct {
	Title  string
	Nav    string // the active menu entry
	Base   string
	User   User
	CSRF   string
	Live   bool // the page opens the event stream
	Flash  string
	Error  string
	Data   any
	errors fieldErrors
}

// Err returns the error message for a form field, or "".
func (p page) Err(field string) string { return p.errors[field] }

// render writes a full page.
func (c *Console) render(w http.ResponseWriter, r *http.Request, name string, code int, p page) {
	ri := info(r)
	p.Base, p.User, p.CSRF = c.base, ri.user, ri.csrf
	if p.Flash == "" {
		p.Flash = c.message(r, "flash")
	}
	c.execute(w, name, "layout", code, p)
}

// fragment writes one named template of a page (live updates).
func (c *Console) fragment(w http.ResponseWriter, r *http.Request, pageName, name string, p page) {
	ri := info(r)
	p.Base, p.User, p.CSRF = c.base, ri.user, ri.csrf
	c.execute(w, pageName, name, http.StatusOK, p)
}

func (c *Console) execute(w http.ResponseWriter, pageName, name string, code int, p page) {
	var b strings.Builder
	if err := c.pages[pageName].ExecuteTemplate(&b, name, p); err != nil {
		c.log.Error("console: render", "page", pageName, "err", err)
		http.Error(w, "console: could not render the page", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	_, _ = w.Write([]byte(b.String()))
}

// fail shows an unexpected error (a store failure) without its details.
func (c *Console) fail(w http.ResponseWriter, r *http.Request, err error) {
	c.log.Error("console: request failed", "path", r.URL.Path, "err", err)
	c.refuse(w, r, http.StatusInternalServerError, "Something went wrong; it was logged. Try again.")
}

// back redirects after a successful POST (post/redirect/get), with a
// one-line message for the next page.
func (c *Console) back(w http.ResponseWriter, r *http.Request, path, flash string) {
	if flash != "" {
		path, frag, _ := strings.Cut(path, "#")
		sep := "?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		path += sep + c.signed("flash", flash)
		if frag != "" {
			path += "#" + frag
		}
		http.Redirect(w, r, c.base+path, http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, c.base+path, http.StatusSeeOther)
}

// when formats a time for people, in the console's zone.
func (c *Console) when(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(c.opts.Location)
	now := c.opts.Now().In(c.opts.Location)
	if t.Year() == now.Year() && t.YearDay() == now.YearDay() {
		return t.Format("15:04")
	}
	if t.Year() == now.Year() {
		return t.Format("Jan 2 15:04")
	}
	return t.Format("2006-01-02 15:04")
}

// signed is a query string part carrying a one-line message for the next
// page (kind "flash" or "error"), with an HMAC so that a link made
// elsewhere cannot put words on a console page.
func (c *Console) signed(kind, msg string) string {
	return kind + "=" + urlQueryEscape(msg) + "&" + kind + "_sig=" + c.messageMAC(kind, msg)
}

func (c *Console) messageMAC(kind, msg string) string {
	m := hmac.New(sha256.New, c.csrf)
	m.Write([]byte("console message\x00" + kind + "\x00" + msg))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:16])
}

// message returns the request's signed message of that kind, or "".
func (c *Console) message(r *http.Request, kind string) string {
	q := r.URL.Query()
	msg := q.Get(kind)
	if msg == "" || !hmac.Equal([]byte(q.Get(kind+"_sig")), []byte(c.messageMAC(kind, msg))) {
		return ""
	}
	return msg
}
