package console

import (
	"crypto/rand"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/livedesk/livedesk"
)

// Role is what a user may do in the console.
type Role string

// The roles. An admin may do everything; an agent works in the inbox.
const (
	RoleAdmin Role = "admin"
	RoleAgent Role = "agent"
)

// User is the person making a request, as the host's Authenticate says.
type User struct {
	// ID identifies the user in the host application (for logs).
	ID string
	// Name is shown in the console's header.
	Name string
	// Role is RoleAdmin or RoleAgent; anything else is refused.
	Role Role
	// AgentID is the desk agent (livedesk.Desk.CreateAgent) the user acts
	// as: the inbox's "mine" view, and the author of replies and
	// assignments. Empty: the user can read the inbox but not reply.
	AgentID string
}

// Template is an approved WhatsApp template (a Twilio Content SID) agents
// may send when the 24-hour window is closed (see Options.Templates).
type Template struct {
	// Name is shown to agents ("Follow-up").
	Name string
	// ContentSID is the approved template's Content SID (HX + 32 hex).
	ContentSID string
}

// Options configure a console. Desk and Authenticate are required; zero
// values of the others mean the documented defaults.
type Options struct {
	// Desk is the desk the console works on. Required.
	Desk *livedesk.Desk
	// Authenticate returns the user making r, or an error (or a User with
	// an empty ID) when nobody is signed in: the console then answers 401
	// and does nothing else. Required.
	Authenticate func(r *http.Request) (User, error)
	// BasePath is the path the console is mounted at ("/console"); the
	// console strips it and writes links under it. Empty: the root.
	BasePath string
	// AIAgents are the IDs of the AI agents channels may use (the keys of
	// the desk's Options.AIAgents), offered on the settings page.
	AIAgents []string
	// Templates are offered in the reply box when the window is closed
	// only if the desk's Messenger cannot list the account's templates
	// (it is not a channel.TemplateLister). Otherwise, as with the default
	// Twilio Messenger, the box offers the channel's WhatsApp-approved
	// templates from Desk.Templates, and this list is not used.
	Templates []Template
	// WindowMargin must equal the desk's Options.WindowMargin: the reply box
	// shows the window closed that long before WhatsApp closes it. Zero: 10
	// minutes, the desk's default.
	WindowMargin time.Duration
	// Now tells the time (give the desk's clock in tests). Nil: time.Now.
	Now func() time.Time
	// Location is the time zone dates are shown and reports grouped in.
	// Nil: UTC.
	Location *time.Location
	// Logger receives errors the console could not show. Nil: discarded.
	Logger *slog.Logger
	// PageSize is how many conversations an inbox page lists. Zero: 50.
	PageSize int
	// CSRFKey signs CSRF tokens; give the same 32+ random bytes to every
	// replica behind a load balancer. Nil: a random key per process.
	CSRFKey []byte
}

// Console is the console's http.Handler. Create it with New.
type Console struct {
	opts   Options
	base   string
	mux    *http.ServeMux
	pages  map[string]*template.Template
	csrf   []byte
	log    *slog.Logger
	conv   conversationSource
	stream http.Handler // the desk's event stream, for live pages
}

// ErrBadOptions is matched by New's errors.
var ErrBadOptions = errors.New("console: bad options")

// New validates opts and returns the console. It starts nothing.
func New(opts Options) (*Console, error) {
	if opts.Desk == nil {
		return nil, fmt.Errorf("%w: Desk is required", ErrBadOptions)
	}
	if opts.Authenticate == nil {
		return nil, fmt.Errorf("%w: Authenticate is required (the console denies everyone without it)", ErrBadOptions)
	}
	base := strings.TrimRight(opts.BasePath, "/")
	if base != "" && !strings.HasPrefix(base, "/") {
		return nil, fmt.Errorf("%w: BasePath %q must start with /", ErrBadOptions, opts.BasePath)
	}
	if opts.CSRFKey != nil && len(opts.CSRFKey) < 32 {
		return nil, fmt.Errorf("%w: CSRFKey must be at least 32 bytes", ErrBadOptions)
	}
	c := &Console{opts: opts, base: base, log: opts.Logger, csrf: opts.CSRFKey}
	if c.csrf == nil {
		c.csrf = make([]byte, 32)
		_, _ = rand.Read(c.csrf)
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	if c.opts.WindowMargin <= 0 {
		c.opts.WindowMargin = 10 * time.Minute
	}
	if c.opts.Now == nil {
		c.opts.Now = time.Now
	}
	if c.opts.Location == nil {
		c.opts.Location = time.UTC
	}
	if c.opts.PageSize <= 0 {
		c.opts.PageSize = 50
	}
	for _, t := range opts.Templates {
		if strings.TrimSpace(t.Name) == "" || len(t.ContentSID) != 34 || !strings.HasPrefix(t.ContentSID, "HX") {
			return nil, fmt.Errorf("%w: Templates: %q needs a name and a Content SID (HX + 32 hex digits)", ErrBadOptions, t.Name)
		}
	}
	pages, err := parseTemplates()
	if err != nil {
		return nil, err
	}
	c.pages = pages
	c.conv = deskConversations{desk: opts.Desk}
	c.stream = opts.Desk.EventStream()
	c.routes()
	return c, nil
}

// routes registers every screen. Admin-only routes are wrapped in admin.
func (c *Console) routes() {
	m := http.NewServeMux()
	m.Handle("GET /assets/", http.StripPrefix("/assets/", assetHandler()))
	m.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, c.base+"/inbox", http.StatusSeeOther)
	})
	c.inboxRoutes(m)
	c.channelRoutes(m)
	c.settingsRoutes(m)
	c.agentRoutes(m)
	c.reportRoutes(m)
	m.HandleFunc("GET /events", c.serveEvents)
	c.mux = m
}

// ServeHTTP serves the console: security headers on everything, then the
// user (401 without one), then the CSRF check on state changes (403), then
// the screen.
func (c *Console) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	setSecurityHeaders(w)
	path := r.URL.Path
	if c.base != "" {
		if path != c.base && !strings.HasPrefix(path, c.base+"/") {
			http.NotFound(w, r)
			return
		}
		path = strings.TrimPrefix(path, c.base)
		if path == "" {
			path = "/"
		}
	}
	u, err := c.opts.Authenticate(r)
	if err != nil || u.ID == "" || (u.Role != RoleAdmin && u.Role != RoleAgent) {
		c.refuse(w, r, http.StatusUnauthorized, "Sign in to open the console.")
		return
	}
	token := c.ensureCSRFCookie(w, r)
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		if reason := c.checkCSRF(r); reason != "" {
			c.log.Warn("console: request refused", "reason", reason, "user", u.ID, "path", path)
			c.refuse(w, r, http.StatusForbidden, "This form has expired or did not come from the console ("+reason+"). Reload the page and try again.")
			return
		}
	}
	r2 := r.Clone(withRequest(r.Context(), &reqInfo{user: u, csrf: token}))
	r2.URL.Path = path
	r2.URL.RawPath = ""
	c.mux.ServeHTTP(w, r2)
}

// refuse answers a request the console will not serve, with a short page.
func (c *Console) refuse(w http.ResponseWriter, r *http.Request, code int, msg string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	_ = c.pages["error"].ExecuteTemplate(w, "bare", map[string]any{"Base": c.base, "Code": code, "Message": msg})
}

// url returns a console path under BasePath.
func (c *Console) url(format string, args ...any) string {
	return c.base + fmt.Sprintf(format, args...)
}
