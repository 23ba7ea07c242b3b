package livedesktest

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// Operation names one endpoint of the fake Twilio API, by twilio-go's
// method name, for FailNextOn, HangNextOn and Call.
type Operation string

// The operations the fake serves.
const (
	// OpCreateMessage is POST api.twilio.com/2010-04-01/Accounts/{AccountSid}/Messages.json.
	OpCreateMessage Operation = "CreateMessage"
	// OpFetchAccount is GET api.twilio.com/2010-04-01/Accounts/{Sid}.json.
	OpFetchAccount Operation = "FetchAccount"
	// OpListChannelsSender is GET messaging.twilio.com/v2/Channels/Senders.
	OpListChannelsSender Operation = "ListChannelsSender"
	// OpFetchChannelsSender is GET messaging.twilio.com/v2/Channels/Senders/{Sid}.
	OpFetchChannelsSender Operation = "FetchChannelsSender"
	// OpUpdateChannelsSender is POST (JSON) messaging.twilio.com/v2/Channels/Senders/{Sid}.
	OpUpdateChannelsSender Operation = "UpdateChannelsSender"
	// OpFetchService is GET messaging.twilio.com/v1/Services/{Sid}.
	OpFetchService Operation = "FetchService"
	// OpUpdateService is POST messaging.twilio.com/v1/Services/{Sid}.
	OpUpdateService Operation = "UpdateService"
	// OpListChannelSender is GET messaging.twilio.com/v1/Services/{MessagingServiceSid}/ChannelSenders.
	OpListChannelSender Operation = "ListChannelSender"
	// OpCreateTypingIndicator is POST messaging.twilio.com/v2/Indicators/Typing.json.
	OpCreateTypingIndicator Operation = "CreateTypingIndicator"
	// OpListContentAndApprovals is GET content.twilio.com/v1/ContentAndApprovals.
	OpListContentAndApprovals Operation = "ListContentAndApprovals"
)

// Call is one authenticated request the fake API served, any operation.
type Call struct {
	Operation Operation
	Method    string
	Path      string
	Query     url.Values
	// Username is the Basic auth user; AccountSID its account.
	Username, AccountSID string
	// Form is the parsed form body of form requests; Body the raw body.
	Form url.Values
	Body string
}

// Calls returns the authenticated requests served so far, in order, all
// operations included (Requests counts only CreateMessage, failed ones
// included).
func (a *TwilioAPI) Calls(ops ...Operation) []Call {
	a.mu.Lock()
	defer a.mu.Unlock()
	var out []Call
	for _, c := range a.calls {
		if len(ops) == 0 || containsOp(ops, c.Operation) {
			out = append(out, c)
		}
	}
	return out
}

func containsOp(ops []Operation, op Operation) bool {
	for _, o := range ops {
		if o == op {
			return true
		}
	}
	return false
}

func (a *TwilioAPI) record(c Call) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.calls = append(a.calls, c)
}

const (
	bodyNone = iota
	bodyForm
	bodyJSON
)

// endpoint is one route of the fake.
type endpoint struct {
	op     Operation
	host   string // first label of the Twilio host: api, messaging, content
	method string
	path   *regexp.Regexp
	body   int
	handle func(*TwilioAPI, http.ResponseWriter, *apiRequest)
}

// apiRequest is an authenticated request with its parsed parts.
type apiRequest struct {
	*http.Request
	match         []string
	form          url.Values
	body          []byte
	user, account string
}

var endpoints = []endpoint{
	{OpCreateMessage, "api", http.MethodPost, regexp.MustCompile(`^/2010-04-01/Accounts/([^/]+)/Messages\.json$`), bodyForm, (*TwilioAPI).createMessage},
	{OpFetchAccount, "api", http.MethodGet, regexp.MustCompile(`^/2010-04-01/Accounts/([^/]+)\.json$`), bodyNone, (*TwilioAPI).fetchAccount},
	{OpListChannelsSender, "messaging", http.MethodGet, regexp.MustCompile(`^/v2/Channels/Senders$`), bodyNone, (*TwilioAPI).listSenders},
	{OpFetchChannelsSender, "messaging", http.MethodGet, regexp.MustCompile(`^/v2/Channels/Senders/([^/]+)$`), bodyNone, (*TwilioAPI).fetchSender},
	{OpUpdateChannelsSender, "messaging", http.MethodPost, regexp.MustCompile(`^/v2/Channels/Senders/([^/]+)$`), bodyJSON, (*TwilioAPI).updateSender},
	{OpFetchService, "messaging", http.MethodGet, regexp.MustCompile(`^/v1/Services/([^/]+)$`), bodyNone, (*TwilioAPI).fetchService},
	{OpUpdateService, "messaging", http.MethodPost, regexp.MustCompile(`^/v1/Services/([^/]+)$`), bodyForm, (*TwilioAPI).updateService},
	{OpListChannelSender, "messaging", http.MethodGet, regexp.MustCompile(`^/v1/Services/([^/]+)/ChannelSenders$`), bodyNone, (*TwilioAPI).listServiceSenders},
	{OpCreateTypingIndicator, "messaging", http.MethodPost, regexp.MustCompile(`^/v2/Indicators/Typing\.json$`), bodyForm, (*TwilioAPI).createTyping},
	{OpListContentAndApprovals, "content", http.MethodGet, regexp.MustCompile(`^/v1/ContentAndApprovals$`), bodyNone, (*TwilioAPI).listTemplates},
}

// route finds the endpoint for r's host and path (any method: a wrong
// method is 405 only where the path exists). Requests addressed to a host
// other than *.twilio.com (sent to the fake's URL directly) are matched on
// their path alone.
func route(r *http.Request) (*endpoint, []string) {
	host := r.Host
	if h, _, ok := strings.Cut(host, ":"); ok {
		host = h
	}
	label := ""
	if host == "twilio.com" || strings.HasSuffix(host, ".twilio.com") {
		label, _, _ = strings.Cut(host, ".")
	}
	var pathOnly *endpoint
	var pathMatch []string
	for i := range endpoints {
		e := &endpoints[i]
		m := e.path.FindStringSubmatch(r.URL.Path)
		if m == nil || (label != "" && label != e.host) {
			continue
		}
		if e.method == r.Method {
			return e, m
		}
		if pathOnly == nil {
			pathOnly, pathMatch = e, m
		}
	}
	return pathOnly, pathMatch
}

// page cuts items into Twilio's pages (PageSize, default 50; Page, from 0)
// and returns the page with its meta, whose next_page_url twilio-go
// follows.
func page[T any](r *apiRequest, items []T, key string) ([]T, map[string]any) {
	size, err := strconv.Atoi(r.URL.Query().Get("PageSize"))
	if err != nil || size <= 0 {
		size = 50
	}
	n, err := strconv.Atoi(r.URL.Query().Get("Page"))
	if err != nil || n < 0 {
		n = 0
	}
	host := r.Host
	if host == "" || !strings.HasSuffix(strings.Split(host, ":")[0], "twilio.com") {
		host = "twilio.invalid"
	}
	pageURL := func(p int) string {
		q := r.URL.Query()
		q.Set("PageSize", strconv.Itoa(size))
		q.Set("Page", strconv.Itoa(p))
		q.Del("PageToken")
		return "https://" + host + r.URL.Path + "?" + q.Encode()
	}
	from, to := min(n*size, len(items)), min((n+1)*size, len(items))
	meta := map[string]any{
		"page": n, "page_size": size, "key": key,
		"first_page_url": pageURL(0), "url": pageURL(n),
		"previous_page_url": nil, "next_page_url": nil,
	}
	if n > 0 {
		meta["previous_page_url"] = pageURL(n - 1)
	}
	if to < len(items) {
		meta["next_page_url"] = pageURL(n + 1)
	}
	return items[from:to], meta
}
