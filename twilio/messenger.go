package twilio

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/livedesk/livedesk/channel"
	"github.com/twilio/twilio-go/client"
	openapi "github.com/twilio/twilio-go/rest/api/v2010"
)

// DefaultTimeout bounds one send when MessengerOptions.HTTPClient is nil.
const DefaultTimeout = 10 * time.Second

// maxClients bounds the credential cache; past it the cache is emptied and
// refilled on demand (clients only hold credentials, so this is cheap).
const maxClients = 1024

// Errors Send returns before contacting Twilio; they are not retryable.
var (
	// ErrInvalidEnvelope is wrapped when the message itself cannot be sent
	// (no recipient, no content...).
	ErrInvalidEnvelope = errors.New("twilio: invalid message")
	// ErrInvalidChannel is wrapped when the channel lacks what sending needs
	// (account, credentials, sender).
	ErrInvalidChannel = errors.New("twilio: channel cannot send")
)

// MessengerOptions configure a Messenger.
type MessengerOptions struct {
	// HTTPClient carries the requests. Nil: a client with DefaultTimeout that
	// does not follow redirects (what twilio-go uses by default). A custom
	// client should set Timeout and a CheckRedirect returning
	// http.ErrUseLastResponse itself. Its Transport is shared by every
	// channel, so connections are pooled across accounts.
	HTTPClient *http.Client
	// Edge and Region select a Twilio edge location and processing region
	// (e.g. "dublin", "ie1"); empty: Twilio's default (US). Unlike
	// twilio-go's defaults, the TWILIO_EDGE and TWILIO_REGION environment
	// variables are not read.
	Edge, Region string
}

// Messenger sends WhatsApp messages with Twilio's REST API (POST
// /2010-04-01/Accounts/{AccountSid}/Messages.json, through twilio-go). It
// implements channel.Messenger and is safe for concurrent use.
//
// Every failure after local validation is a *SendError saying whether the
// outbox may retry it; Send itself never retries.
//
// # Contexts
//
// twilio-go builds its requests with context.Background(), so Send binds
// ctx through the HTTP layer instead: each call uses a copy of the channel's
// twilio-go client whose http.Client has a Transport that derives every
// request's context from both the client's timeout and ctx. Cancelling ctx
// therefore aborts an in-flight request (dial, write or wait for the
// answer), and a ctx already done returns at once without a request.
type Messenger struct {
	http         *http.Client
	edge, region string

	mu      sync.Mutex
	clients map[clientKey]*cachedClient
}

// clientKey identifies a twilio-go client without holding its secret.
type clientKey struct{ account, username string }

type cachedClient struct {
	secret [sha256.Size]byte // hash of the password, to notice rotations
	c      *client.Client
}

// NewMessenger returns a Messenger.
func NewMessenger(opts MessengerOptions) *Messenger {
	hc := opts.HTTPClient
	if hc == nil {
		hc = &http.Client{
			Timeout:       DefaultTimeout,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}
	}
	return &Messenger{http: hc, edge: opts.Edge, region: opts.Region, clients: map[clientKey]*cachedClient{}}
}

// Send sends msg through ch and returns Twilio's message SID and first
// status ("queued", or "accepted" through a Messaging Service). A 201 only
// means Twilio accepted the message: delivery (or an asynchronous failure
// such as 63016) arrives later in status callbacks.
//
// The message goes to "whatsapp:"+msg.To, from "whatsapp:"+PhoneNumber in
// classic mode; in Messaging Service mode through MessagingServiceSid, and
// from "whatsapp:"+msg.From when msg.From pins the sender. With a
// ContentSID the Content template is sent with ContentVariables as JSON and
// Text and MediaURLs are ignored. The channel's API key, when set,
// authenticates instead of its Auth Token. msg.IdempotencyKey is not sent:
// Twilio's Messages API has no idempotency key.
//
// Errors wrapping ErrInvalidEnvelope or ErrInvalidChannel mean nothing was
// sent; every other error is a *SendError (see IsRetryable). A ctx already
// done yields a retryable *SendError wrapping ctx.Err().
func (m *Messenger) Send(ctx context.Context, ch channel.Channel, msg channel.Envelope) (channel.Receipt, error) {
	params, err := messageParams(ch.Twilio, msg)
	if err != nil {
		return channel.Receipt{}, err
	}
	username, password, err := credentials(ch.Twilio)
	if err != nil {
		return channel.Receipt{}, err
	}
	if err := ctx.Err(); err != nil {
		return channel.Receipt{}, &SendError{Message: "not sent: " + err.Error(), Err: err, retry: true}
	}
	shared := m.clientFor(ch.Twilio.AccountSID, username, password)
	c := newCall(ctx, m.http)
	perCall := *shared // credentials and account; only HTTPClient differs
	perCall.HTTPClient = c.client
	api := openapi.NewApiService(&client.RequestHandler{Client: &perCall, Edge: m.edge, Region: m.region})

	resp, err := api.CreateMessage(params)
	if err != nil {
		return channel.Receipt{}, c.sendError(err, password)
	}
	if resp.Sid == nil || *resp.Sid == "" {
		// Twilio said 2xx but the body has no SID: the message may exist.
		return channel.Receipt{}, &SendError{
			Status:    c.status,
			Message:   "Twilio accepted the request but its answer has no message SID; the message may have been sent",
			Err:       errNoSID,
			ambiguous: true,
		}
	}
	r := channel.Receipt{SID: *resp.Sid}
	if resp.Status != nil {
		r.Status = *resp.Status
	}
	return r, nil
}

var errNoSID = errors.New("twilio: response without sid")

// clientFor returns the twilio-go client for one set of credentials,
// creating it on first use. There is one client per (account, username); a
// changed password (a rotated token) replaces it, so the cache never grows
// past the number of distinct accounts and keys in use.
func (m *Messenger) clientFor(account, username, password string) *client.Client {
	key := clientKey{account: account, username: username}
	sum := sha256.Sum256([]byte(password))
	m.mu.Lock()
	defer m.mu.Unlock()
	if e, ok := m.clients[key]; ok && e.secret == sum {
		return e.c
	}
	if len(m.clients) >= maxClients {
		clear(m.clients)
	}
	c := &client.Client{Credentials: client.NewCredentials(username, password), HTTPClient: m.http}
	// Mandatory with an API key, or twilio-go puts the SK sid in the path.
	c.SetAccountSid(account)
	m.clients[key] = &cachedClient{secret: sum, c: c}
	return c
}

// credentials returns the Basic auth pair for sending: the API key when the
// channel has one, the Account SID and Auth Token otherwise.
func credentials(t channel.Twilio) (username, password string, err error) {
	if t.AccountSID == "" {
		return "", "", fmt.Errorf("%w: Twilio.AccountSID is empty (AC followed by 32 hex digits, Twilio console > Account info)", ErrInvalidChannel)
	}
	if t.APIKeySID != "" {
		if t.APIKeySecret == "" {
			return "", "", fmt.Errorf("%w: Twilio.APIKeySecret is empty while APIKeySID is set", ErrInvalidChannel)
		}
		return t.APIKeySID, t.APIKeySecret.Reveal(), nil
	}
	if t.AuthToken == "" {
		return "", "", fmt.Errorf("%w: Twilio.AuthToken is empty and no API key is set", ErrInvalidChannel)
	}
	return t.AccountSID, t.AuthToken.Reveal(), nil
}

// messageParams validates msg and maps it to twilio-go's parameters.
func messageParams(t channel.Twilio, msg channel.Envelope) (*openapi.CreateMessageParams, error) {
	if msg.To == "" {
		return nil, fmt.Errorf("%w: To is empty; set the customer's number in E.164 form (+14155550100)", ErrInvalidEnvelope)
	}
	if !looksE164(msg.To) {
		return nil, fmt.Errorf("%w: To %q is not an E.164 number (+14155550100, without \"whatsapp:\")", ErrInvalidEnvelope, msg.To)
	}
	if msg.From != "" && !looksE164(msg.From) {
		return nil, fmt.Errorf("%w: From %q is not an E.164 number (+14155238886, without \"whatsapp:\")", ErrInvalidEnvelope, msg.From)
	}
	p := &openapi.CreateMessageParams{}
	p.SetTo("whatsapp:" + msg.To)
	switch {
	case t.MessagingServiceSID != "":
		p.SetMessagingServiceSid(t.MessagingServiceSID)
		if msg.From != "" {
			p.SetFrom("whatsapp:" + msg.From) // reply from the number the customer wrote to
		}
	case t.PhoneNumber != "":
		p.SetFrom("whatsapp:" + t.PhoneNumber)
	default:
		return nil, fmt.Errorf("%w: it has neither Twilio.PhoneNumber nor Twilio.MessagingServiceSID", ErrInvalidChannel)
	}
	switch {
	case msg.ContentSID != "":
		p.SetContentSid(msg.ContentSID)
		if len(msg.ContentVariables) > 0 {
			vars, err := json.Marshal(msg.ContentVariables)
			if err != nil { // cannot happen for a map[string]string
				return nil, fmt.Errorf("%w: encoding ContentVariables: %w", ErrInvalidEnvelope, err)
			}
			p.SetContentVariables(string(vars))
		}
	case len(msg.ContentVariables) > 0:
		return nil, fmt.Errorf("%w: ContentVariables are set without a ContentSID (Twilio error 21654); set the template's HX… SID", ErrInvalidEnvelope)
	case msg.Text == "" && len(msg.MediaURLs) == 0:
		return nil, fmt.Errorf("%w: nothing to send; set Text and/or MediaURLs, or a ContentSID", ErrInvalidEnvelope)
	default:
		if n := utf8.RuneCountInString(msg.Text); n > channel.MaxTextLength {
			return nil, fmt.Errorf("%w: Text has %d characters, Twilio accepts at most %d", ErrInvalidEnvelope, n, channel.MaxTextLength)
		}
		if msg.Text != "" {
			p.SetBody(msg.Text)
		}
		if len(msg.MediaURLs) > 0 {
			p.SetMediaUrl(msg.MediaURLs)
		}
	}
	if msg.StatusCallback != "" {
		p.SetStatusCallback(msg.StatusCallback)
	}
	return p, nil
}

// looksE164 is a syntax check only ('+' and 7 to 15 digits); Twilio judges
// whether the number exists (21211).
func looksE164(s string) bool {
	if len(s) < 8 || len(s) > 16 || s[0] != '+' || s[1] == '0' {
		return false
	}
	return strings.Trim(s[1:], "0123456789") == ""
}
