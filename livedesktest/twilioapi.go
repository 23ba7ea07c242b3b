package livedesktest

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/twilio"
)

// TwilioAPI is a fake of Twilio's Messages API (POST
// /2010-04-01/Accounts/{AccountSid}/Messages.json) on an httptest server,
// strict enough to catch what real Twilio would reject: it checks Basic
// auth against the credentials registered with SetAuthToken and AddAPIKey,
// the account in the path, and the fields WhatsApp messages need, and
// answers with Twilio's JSON. Failures can be injected. It is safe for
// concurrent use.
//
// It also serves what a channel's set-up uses, with the paths and JSON
// twilio-go expects (see twilioapi_setup.go): the account (FetchAccount),
// WhatsApp senders (messaging v2 Channels Senders: list, update), Messaging
// Services (messaging v1: fetch, update, channel senders), the typing
// indicator and Content templates with approvals. Register what an
// account has with AddWhatsAppSender, AddMessagingService and AddTemplate.
//
// Point a twilio-go based client at it with Client (or use Messenger):
// requests keep their https://api.twilio.com URL, auth and body, only the
// connection goes to the fake.
type TwilioAPI struct {
	// URL is the fake server's base URL (http://127.0.0.1:port).
	URL string

	tb        testing.TB // nil outside tests
	closeOnce sync.Once
	server    *httptest.Server
	target    *url.URL
	done      chan struct{} // closed at test end, releases hung requests

	mu       sync.Mutex
	tokens   map[string]string // account SID → Auth Token
	keys     map[string]apiKey // key SID → key
	faults   map[Operation][]fault
	sent     []SentMessage
	requests int
	now      func() time.Time

	accountStatus map[string]string // account SID -> status when not "active"
	senders       []*WhatsAppSender
	services      map[string]*MessagingService
	templates     []*Template
	typing        []TypingIndicator
	calls         []Call
}

type apiKey struct{ account, secret string }

// fault is one injected failure, consumed by the next request.
type fault struct {
	status, code int
	message      string
	html, hang   bool
}

// SentMessage is a message the fake API accepted. To, From and the other
// fields hold the parameters exactly as posted (with the "whatsapp:"
// prefix); Form has all of them.
type SentMessage struct {
	SID string
	// AccountSID is the account from the URL path; Username the Basic auth
	// user (the Account SID, or an SK… API key SID).
	AccountSID, Username string
	To, From             string
	MessagingServiceSID  string
	Body                 string
	ContentSID           string
	ContentVariables     string
	StatusCallback       string
	MediaURLs            []string
	// Status is the status the fake answered: "queued", or "accepted" for a
	// Messaging Service message without From.
	Status string
	Form   url.Values
}

// NewTwilioAPI starts a fake Twilio API, closed when the test ends. It
// accepts no credentials until SetAuthToken or AddAPIKey registers some.
func NewTwilioAPI(tb testing.TB) *TwilioAPI {
	tb.Helper()
	a := StartTwilioAPI()
	a.tb = tb
	tb.Cleanup(a.Close)
	return a
}

// StartTwilioAPI starts a fake Twilio API outside a test (a demo, a local
// run of your own server); call Close when done.
func StartTwilioAPI() *TwilioAPI {
	a := &TwilioAPI{
		done:   make(chan struct{}),
		tokens: map[string]string{}, keys: map[string]apiKey{},
		now:    func() time.Time { return DefaultTime },
		faults: map[Operation][]fault{}, accountStatus: map[string]string{}, services: map[string]*MessagingService{},
	}
	a.server = httptest.NewServer(http.HandlerFunc(a.serve))
	a.URL = a.server.URL
	a.target, _ = url.Parse(a.server.URL)
	return a
}

// Close stops the server, first releasing requests held by HangNext.
func (a *TwilioAPI) Close() {
	a.closeOnce.Do(func() {
		close(a.done)
		a.server.Close()
	})
}

// fatalf reports a misuse: through the test when there is one.
func (a *TwilioAPI) fatalf(format string, args ...any) {
	if a.tb != nil {
		a.tb.Helper()
		a.tb.Fatalf(format, args...)
	}
	panic(fmt.Sprintf(format, args...))
}

// SetClock sets the time used for date_created (default DefaultTime), e.g.
// a harness Clock's Now.
func (a *TwilioAPI) SetClock(now func() time.Time) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.now = now
}

// SetAuthToken makes the fake accept accountSID with token as Basic auth.
func (a *TwilioAPI) SetAuthToken(accountSID string, token channel.Secret) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.tokens[accountSID] = string(token)
}

// AddAPIKey makes the fake accept keySID with secret as Basic auth, for
// requests on accountSID.
func (a *TwilioAPI) AddAPIKey(accountSID, keySID string, secret channel.Secret) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.keys[keySID] = apiKey{account: accountSID, secret: string(secret)}
}

// FailNext makes the next CreateMessage request fail with status and Twilio's JSON error
// body for code and message (message empty: the status text). Injected
// failures are consumed in order, one per request, before any check.
func (a *TwilioAPI) FailNext(status, code int, message string) {
	a.FailNextOn(OpCreateMessage, status, code, message)
}

// FailNextHTML makes the next CreateMessage request fail with status and an HTML page, as
// a proxy or load balancer in front of Twilio answers.
func (a *TwilioAPI) FailNextHTML(status int) {
	a.push(OpCreateMessage, fault{status: status, html: true})
}

// HangNext makes the next CreateMessage request wait without answering until the client
// gives up (its timeout or context) or the test ends.
func (a *TwilioAPI) HangNext() { a.HangNextOn(OpCreateMessage) }

// FailNextOn is FailNext for the next request of operation op (each
// operation has its own queue of failures).
func (a *TwilioAPI) FailNextOn(op Operation, status, code int, message string) {
	a.push(op, fault{status: status, code: code, message: message})
}

// HangNextOn is HangNext for the next request of operation op.
func (a *TwilioAPI) HangNextOn(op Operation) { a.push(op, fault{hang: true}) }

func (a *TwilioAPI) push(op Operation, f fault) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.faults[op] = append(a.faults[op], f)
}

// Sent returns the accepted messages, in order.
func (a *TwilioAPI) Sent() []SentMessage {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := make([]SentMessage, len(a.sent))
	copy(out, a.sent)
	return out
}

// Requests returns how many CreateMessage requests arrived, failed ones
// included.
func (a *TwilioAPI) Requests() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.requests
}

// Client returns an HTTP client whose requests to *.twilio.com go to the
// fake server, unchanged but for the connection; requests to other hosts
// fail. Like twilio-go's default client it has a 10 s timeout and does not
// follow redirects. Each call returns a new client.
func (a *TwilioAPI) Client() *http.Client {
	return &http.Client{
		Transport:     &rewrite{target: a.target, base: a.server.Client().Transport},
		Timeout:       10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// Messenger returns a twilio.Messenger that sends through Client.
func (a *TwilioAPI) Messenger() *twilio.Messenger {
	return twilio.NewMessenger(twilio.MessengerOptions{HTTPClient: a.Client()})
}

// rewrite sends requests for Twilio's hosts to the fake server.
type rewrite struct {
	target *url.URL
	base   http.RoundTripper
}

func (t *rewrite) RoundTrip(req *http.Request) (*http.Response, error) {
	host := req.URL.Hostname()
	if host != "twilio.com" && !strings.HasSuffix(host, ".twilio.com") {
		if req.Body != nil {
			_ = req.Body.Close()
		}
		return nil, fmt.Errorf("livedesktest: refusing a request to %s: the fake Twilio API only serves *.twilio.com", req.URL.Host)
	}
	r := req.Clone(req.Context())
	r.URL.Scheme, r.URL.Host = t.target.Scheme, t.target.Host
	return t.base.RoundTrip(r)
}

func (a *TwilioAPI) serve(w http.ResponseWriter, r *http.Request) {
	e, m := route(r)
	if e == nil {
		writeError(w, http.StatusNotFound, 20404, "The requested resource "+r.URL.Path+" was not found")
		return
	}
	if r.Method != e.method {
		writeError(w, http.StatusMethodNotAllowed, 20004, "Method not allowed")
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	a.mu.Lock()
	if e.op == OpCreateMessage {
		a.requests++
	}
	var f *fault
	if q := a.faults[e.op]; len(q) > 0 {
		f = &q[0]
		a.faults[e.op] = q[1:]
	}
	a.mu.Unlock()
	switch {
	case f != nil && f.hang:
		select {
		case <-r.Context().Done():
		case <-a.done:
		}
		return
	case f != nil && f.html:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(f.status)
		text := strconv.Itoa(f.status) + " " + http.StatusText(f.status)
		_, _ = fmt.Fprintf(w, "<html>\r\n<head><title>%s</title></head>\r\n<body>\r\n<center><h1>%s</h1></center>\r\n</body>\r\n</html>\r\n", text, text)
		return
	case f != nil:
		writeError(w, f.status, f.code, f.message)
		return
	}
	var form url.Values
	switch e.body {
	case bodyForm:
		var perr error
		form, perr = url.ParseQuery(string(body))
		if err != nil || perr != nil || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
			writeError(w, http.StatusBadRequest, 20001, "Invalid form body")
			return
		}
	case bodyJSON:
		if err != nil || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") || !json.Valid(body) {
			writeError(w, http.StatusBadRequest, 20001, "Invalid JSON body")
			return
		}
	}
	user, account, ok := a.authenticate(r)
	if !ok {
		w.Header().Set("WWW-Authenticate", `Basic realm="Twilio API"`)
		writeError(w, http.StatusUnauthorized, 20003, "Authenticate")
		return
	}
	a.record(Call{Operation: e.op, Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Username: user, AccountSID: account, Form: form, Body: string(body)})
	e.handle(a, w, &apiRequest{Request: r, match: m, form: form, body: body, user: user, account: account})
}

// createMessage serves POST /2010-04-01/Accounts/{AccountSid}/Messages.json.
func (a *TwilioAPI) createMessage(w http.ResponseWriter, r *apiRequest) {
	if r.match[1] != r.account {
		writeError(w, http.StatusNotFound, 20404, "The requested resource "+r.URL.Path+" was not found")
		return
	}
	if status, code, msg := checkMessage(r.form); code != 0 {
		writeError(w, status, code, msg)
		return
	}
	a.accept(w, r.form, r.account, r.user)
}

// authenticate checks Basic auth and returns the user and its account.
func (a *TwilioAPI) authenticate(r *http.Request) (user, account string, ok bool) {
	user, pass, ok := r.BasicAuth()
	if !ok || user == "" || pass == "" {
		return "", "", false
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	want, account := "", ""
	if k, found := a.keys[user]; found && strings.HasPrefix(user, "SK") {
		want, account = k.secret, k.account
	} else if t, found := a.tokens[user]; found && strings.HasPrefix(user, "AC") {
		want, account = t, user
	}
	if want == "" || subtle.ConstantTimeCompare([]byte(pass), []byte(want)) != 1 {
		return "", "", false
	}
	return user, account, true
}

var (
	whatsappAddress = regexp.MustCompile(`^whatsapp:\+[1-9][0-9]{6,14}$`)
	serviceSID      = regexp.MustCompile(`^MG[0-9a-f]{32}$`)
	contentSID      = regexp.MustCompile(`^HX[0-9a-f]{32}$`)
)

// checkMessage applies Twilio's rules for a WhatsApp message and returns
// the error Twilio would answer, or code 0.
func checkMessage(f url.Values) (status, code int, message string) {
	to, from, service := f.Get("To"), f.Get("From"), f.Get("MessagingServiceSid")
	bad := http.StatusBadRequest
	switch {
	case to == "":
		return bad, 21604, "A 'To' phone number is required."
	case !whatsappAddress.MatchString(to):
		return bad, 21211, "Invalid 'To' Phone Number: " + to
	case from == "" && service == "":
		return bad, 21603, "A 'From' phone number is required."
	case from != "" && !whatsappAddress.MatchString(from):
		return bad, 21212, "Invalid From Number (caller ID): " + from
	case service != "" && !serviceSID.MatchString(service):
		return bad, 21701, "The Messaging Service Sid " + service + " is invalid."
	case f.Has("ContentVariables") && f.Get("ContentSid") == "":
		return bad, 21654, "ContentSid Required"
	case f.Has("ContentSid") && !contentSID.MatchString(f.Get("ContentSid")):
		return bad, 21655, "The ContentSid is Invalid"
	case f.Has("ContentVariables") && !stringMap(f.Get("ContentVariables")):
		return bad, 21656, "The ContentVariables Parameter is invalid"
	case f.Get("ContentSid") == "" && f.Get("Body") == "" && len(f["MediaUrl"]) == 0:
		return bad, 21619, "A text message body or media urls must be specified."
	case utf8.RuneCountInString(f.Get("Body")) > channel.MaxTextLength:
		return bad, 21617, "The concatenated message body exceeds the 1600 character limit."
	case f.Has("StatusCallback") && !absoluteURL(f.Get("StatusCallback")):
		return bad, 21609, "Invalid StatusCallback url"
	}
	for _, u := range f["MediaUrl"] {
		if !absoluteURL(u) {
			return bad, 21620, "Invalid media URL(s)"
		}
	}
	return 0, 0, ""
}

func stringMap(s string) bool {
	var m map[string]string
	return json.Unmarshal([]byte(s), &m) == nil && m != nil
}

func absoluteURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

// accept records the message and answers 201 with Twilio's JSON.
func (a *TwilioAPI) accept(w http.ResponseWriter, f url.Values, account, user string) {
	prefix := "SM"
	if len(f["MediaUrl"]) > 0 {
		prefix = "MM" // Twilio's prefix for messages with media
	}
	var raw [16]byte
	_, _ = rand.Read(raw[:])
	sid := prefix + hex.EncodeToString(raw[:])
	msg := SentMessage{
		SID: sid, AccountSID: account, Username: user,
		To: f.Get("To"), From: f.Get("From"), MessagingServiceSID: f.Get("MessagingServiceSid"),
		Body: f.Get("Body"), ContentSID: f.Get("ContentSid"), ContentVariables: f.Get("ContentVariables"),
		StatusCallback: f.Get("StatusCallback"), MediaURLs: f["MediaUrl"], Status: "queued", Form: f,
	}
	segments := "1"
	if msg.MessagingServiceSID != "" && msg.From == "" {
		msg.Status, segments = "accepted", "0" // no sender chosen yet
	}
	a.mu.Lock()
	a.sent = append(a.sent, msg)
	now := a.now().UTC().Format(time.RFC1123Z)
	a.mu.Unlock()
	uri := "/2010-04-01/Accounts/" + account + "/Messages/" + sid
	writeJSON(w, http.StatusCreated, map[string]any{
		"account_sid": account, "api_version": "2010-04-01", "body": msg.Body,
		"date_created": now, "date_updated": now, "date_sent": nil,
		"direction": "outbound-api", "error_code": nil, "error_message": nil,
		"from": nullable(msg.From), "to": msg.To, "messaging_service_sid": nullable(msg.MessagingServiceSID),
		"num_media": strconv.Itoa(len(msg.MediaURLs)), "num_segments": segments,
		"price": nil, "price_unit": "USD", "sid": sid, "status": msg.Status,
		"subresource_uris": map[string]string{"media": uri + "/Media.json"},
		"uri":              uri + ".json",
	})
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func writeError(w http.ResponseWriter, status, code int, message string) {
	if message == "" {
		message = http.StatusText(status)
	}
	writeJSON(w, status, map[string]any{
		"code": code, "message": message, "status": status,
		"more_info": "https://www.twilio.com/docs/errors/" + strconv.Itoa(code),
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// errorMessages are the ErrorMessage texts of common asynchronous errors.
var errorMessages = map[int]string{
	63003: "Channel could not find To address",
	63016: "Failed to send freeform message because you are outside the allowed window. If you are using WhatsApp, please use a Message Template.",
	63018: "Rate limit exceeded for Channel",
	63024: "Invalid message recipient",
	30008: "Unknown error",
}

// StatusCallback returns the request Twilio would post to m.StatusCallback
// when m reaches status ("sent", "delivered", "read", "failed"...), with
// errorCode (0: none), signed with token over m.StatusCallback. It is
// addressed to m.StatusCallback; rewrite its URL.Host (not the signed URL)
// to reach a test server. A Messaging Service message sent without From has
// no From; set m.From to the sender Twilio would have chosen.
func (a *TwilioAPI) StatusCallback(m SentMessage, status string, errorCode int, token channel.Secret) *http.Request {
	if m.StatusCallback == "" {
		a.fatalf("livedesktest: message %s has no StatusCallback URL", m.SID)
	}
	form := url.Values{
		"MessageSid": {m.SID}, "SmsSid": {m.SID}, "MessageStatus": {status}, "SmsStatus": {status},
		"AccountSid": {m.AccountSID}, "From": {m.From}, "To": {m.To}, "ApiVersion": {"2010-04-01"},
		"ChannelPrefix": {"whatsapp"}, "ChannelToAddress": {strings.TrimPrefix(m.To, "whatsapp:")},
	}
	if m.MessagingServiceSID != "" {
		form.Set("MessagingServiceSid", m.MessagingServiceSID)
	}
	switch status {
	case "delivered", "read", "undelivered":
		form.Set("EventType", strings.ToUpper(status))
	case "sent":
		form.Set("StructuredMessage", "false")
	}
	if errorCode != 0 {
		form.Set("ErrorCode", strconv.Itoa(errorCode))
		form.Set("ErrorMessage", errorMessages[errorCode])
		if form.Get("ErrorMessage") == "" {
			form.Set("ErrorMessage", "Twilio error "+strconv.Itoa(errorCode))
		}
	}
	req, err := http.NewRequest(http.MethodPost, m.StatusCallback, strings.NewReader(form.Encode()))
	if err != nil {
		a.fatalf("livedesktest: bad StatusCallback URL %q: %v", m.StatusCallback, err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set(twilio.SignatureHeader, Sign(token, m.StatusCallback, form))
	req.Header.Set("I-Twilio-Idempotency-Token", m.SID+"-"+status)
	return req
}
