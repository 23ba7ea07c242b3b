package livedesk

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/store"
	"github.com/livedesk/livedesk/store/memstore"
	"github.com/livedesk/livedesk/twilio"
)

// Options configure a Desk. Zero values mean the documented defaults; only
// PublicURL is required.
type Options struct {
	// PublicURL is where Twilio reaches Handler(), as Twilio sees it:
	// scheme, host, optional port and the path the handler is mounted at
	// ("https://support.example.com/livedesk"). Webhook URLs are built from
	// it and signatures are verified against it, so it must be exactly what
	// is pasted into Twilio (behind a proxy, the public address, not the
	// internal one). Required.
	PublicURL string
	// Store keeps everything. Nil: an in-memory store (memstore), which loses
	// everything when the process exits.
	Store store.Store
	// Messenger sends messages. Nil: Twilio's REST API through twilio-go
	// (twilio.NewMessenger with default options).
	Messenger channel.Messenger
	// AIAgents are the AI agents channels may use, by ID (a channel adds
	// one with AddAIAgent). Nil: none.
	AIAgents map[string]AIAgent
	// AITimeout bounds one AI turn; past it the conversation goes to
	// humans. Zero: 30 seconds.
	AITimeout time.Duration
	// MediaFetcher downloads inbound media for AI agents, with the
	// channel's credentials. Nil: twilio.NewMediaFetcher with default
	// options (Twilio's media hosts only).
	MediaFetcher MediaFetcher
	// Logger receives the desk's logs. Nil: slog.Default(), so failures
	// are seen without configuration; to silence the desk, pass
	// slog.New(slog.DiscardHandler). The desk logs with the context of the
	// request or Run call, so a handler that reads trace IDs from the
	// context adds them. Credentials are never logged.
	Logger *slog.Logger
	// Clock tells the time. Nil: the system clock.
	Clock Clock
	// OnEvent, if set, is called synchronously after each event, once the
	// change it reports is stored, on the goroutine that made the change (a
	// webhook request or Run). It must return quickly; hand slow work to a
	// goroutine of your own.
	OnEvent func(ctx context.Context, e Event)
	// MaxBodyBytes caps webhook bodies. Zero: 1 MiB.
	MaxBodyBytes int64
	// ChannelCacheTTL is how long a channel read from the store is reused
	// by the webhook handler. Changes made through this Desk apply at once;
	// changes made by another process sharing the store apply within the TTL.
	// An ID just found not to be a channel is answered 404 from memory for
	// the same TTL (at most 1,024 such IDs are remembered). Zero: 30 seconds.
	ChannelCacheTTL time.Duration
	// SweepInterval is how often Run looks for recorded messages that were
	// never processed (the process stopped between recording and
	// processing). Zero: 30 seconds.
	SweepInterval time.Duration
	// SweepAge is how old an unprocessed message must be before the sweep
	// takes it, so it does not race a webhook still in flight. Zero: 1 minute.
	SweepAge time.Duration

	// MaxInFlight caps concurrent sends in one Run. Zero: 8.
	MaxInFlight int
	// PollInterval is how often Run looks for due messages when nothing woke
	// it (messages queued by this process wake it at once; another process's
	// and retries are found by polling). Zero: 1 second.
	PollInterval time.Duration
	// OutboxLease is how long a claimed message is reserved for the Run
	// that claimed it. If that process dies, another Run takes the message
	// over after the lease, unless a status callback shows Twilio already
	// has it. It must exceed the Messenger's timeout. Zero: 1 minute.
	OutboxLease time.Duration
	// MaxAttempts is how many times a message is tried on retryable errors
	// (429, 5xx, connection failures) before it is marked failed. Zero: 6.
	MaxAttempts int
	// RetryBackoff returns the wait before attempt n+1 after n failed
	// attempts. Nil: 2 s doubling each time, capped at 5 minutes, with ±20%
	// jitter.
	RetryBackoff func(attempts int) time.Duration
	// WindowMargin is how long before the end of WhatsApp's 24-hour window
	// free-form messages stop being sent, so a message does not arrive just
	// after it closed. Zero: 10 minutes.
	WindowMargin time.Duration

	// SkipTwilioChecks turns off the calls the desk makes to Twilio to
	// check a set-up, for offline set-ups and tests without a fake API:
	// the credential check of CreateChannel and UpdateChannel, and the
	// template check of Send. They only happen with a Messenger that
	// implements channel.Checker and channel.TemplateLister (the default
	// Twilio Messenger does).
	SkipTwilioChecks bool
	// Telemetry receives spans and the events metrics are counted from
	// (package ldotel: OpenTelemetry). Nil: none, at no cost.
	Telemetry Telemetry
	// RunStaleAfter is how long work may wait in the store with no Run
	// making progress (no heartbeat from any Run sharing the store) before
	// Health reports it not OK and the desk logs a warning (at most once
	// per RunStaleAfter, from webhooks and Send). Zero: 1 minute.
	RunStaleAfter time.Duration
	// TemplateCacheTTL is how long the template list of an account (see
	// Templates) is reused. Zero: 5 minutes.
	TemplateCacheTTL time.Duration
	// EventRetention is how long events stay in the durable feed (Events,
	// EventStream, webhooks); Run prunes older ones. Zero: 7 days; negative:
	// kept forever.
	EventRetention time.Duration
	// EventHeartbeat is how often EventStream sends a comment line when
	// there is nothing to send, so proxies keep the connection. Zero: 15
	// seconds.
	EventHeartbeat time.Duration
	// Webhooks are the host's endpoints that receive chosen events, signed,
	// in feed order, retried with backoff (Options.RetryBackoff,
	// MaxAttempts); Run delivers them. Nil: none.
	Webhooks []Webhook
	// WebhookClient sends webhook deliveries. Nil: an http.Client with a
	// 10-second timeout. Its timeout must be shorter than OutboxLease.
	WebhookClient *http.Client
}

// Desk is a WhatsApp support desk. Create it with New, mount Handler() in
// your HTTP server, and run Run in a goroutine. Its methods are safe for
// concurrent use.
type Desk struct {
	publicURL  string // no trailing slash
	publicPath string // PublicURL's path, no trailing slash
	store      store.Store
	messenger  channel.Messenger
	log        *slog.Logger
	clock      Clock
	onEvent    func(context.Context, Event)
	maxBody    int64
	sweepEvery time.Duration
	sweepAge   time.Duration

	aiAgents  map[string]AIAgent
	aiTimeout time.Duration
	media     MediaFetcher

	maxInFlight  int
	pollEvery    time.Duration
	lease        time.Duration
	maxAttempts  int
	backoff      func(int) time.Duration
	windowMargin time.Duration

	retention     time.Duration
	sseHeartbeat  time.Duration
	webhooks      []*webhook
	webhookClient *http.Client

	channels *channelCache
	setup    *setupState
	kick     chan struct{} // wakes Run when work is queued
	bufs     sync.Pool     // webhook body buffers

	warnLog, errorLog rejectLog // rate limits of rejected webhooks' log lines

	tel          Telemetry
	runStale     time.Duration
	runner       string       // this desk's name in the store's heartbeats
	running      atomic.Int32 // Runs in progress on this desk
	lastBeat     atomic.Int64 // UnixNano of the last heartbeat recorded
	lastRunCheck atomic.Int64 // UnixNano of the last checkRun that looked at the store
}

// New validates opts and returns a Desk. It starts nothing: call Run.
func New(opts Options) (*Desk, error) {
	pub, path, err := parsePublicURL(opts.PublicURL)
	if err != nil {
		return nil, err
	}
	d := &Desk{
		publicURL:  pub,
		publicPath: path,
		store:      opts.Store,
		messenger:  opts.Messenger,
		log:        opts.Logger,
		clock:      opts.Clock,
		onEvent:    opts.OnEvent,
		maxBody:    opts.MaxBodyBytes,
		sweepEvery: opts.SweepInterval,
		sweepAge:   opts.SweepAge,
		kick:       make(chan struct{}, 1),

		aiAgents:  opts.AIAgents,
		aiTimeout: positive(opts.AITimeout, 30*time.Second),
		media:     opts.MediaFetcher,

		maxInFlight:  positive(opts.MaxInFlight, 8),
		pollEvery:    positive(opts.PollInterval, time.Second),
		lease:        positive(opts.OutboxLease, time.Minute),
		maxAttempts:  positive(opts.MaxAttempts, 6),
		backoff:      opts.RetryBackoff,
		windowMargin: positive(opts.WindowMargin, 10*time.Minute),
		runStale:     positive(opts.RunStaleAfter, time.Minute),
		tel:          opts.Telemetry,
		runner:       uuid.NewString(),
	}
	for id, a := range d.aiAgents {
		if a == nil || strings.TrimSpace(id) == "" {
			return nil, fmt.Errorf("%w: AIAgents[%q] must be a non-nil AIAgent with a non-empty ID", ErrBadOptions, id)
		}
	}
	if d.webhooks, err = newWebhooks(opts.Webhooks); err != nil {
		return nil, err
	}
	d.webhookClient = opts.WebhookClient
	if d.webhookClient == nil {
		d.webhookClient = &http.Client{Timeout: 10 * time.Second}
	}
	switch d.retention = opts.EventRetention; {
	case d.retention == 0:
		d.retention = 7 * 24 * time.Hour
	case d.retention < 0:
		d.retention = 0 // forever
	}
	d.sseHeartbeat = positive(opts.EventHeartbeat, 15*time.Second)
	if d.backoff == nil {
		d.backoff = defaultBackoff
	}
	if d.messenger == nil {
		d.messenger = twilio.NewMessenger(twilio.MessengerOptions{})
	}
	if d.store == nil {
		d.store = memstore.New()
	}
	if d.media == nil {
		d.media = twilio.NewMediaFetcher(twilio.MediaOptions{})
	}
	if d.log == nil {
		d.log = slog.Default()
	}
	if d.clock == nil {
		d.clock = realClock{}
	}
	// A Run started with the desk has RunStaleAfter to show progress
	// before checkRun first looks.
	d.lastRunCheck.Store(d.clock.Now().UnixNano())
	if d.maxBody <= 0 {
		d.maxBody = 1 << 20
	}
	if d.sweepEvery <= 0 {
		d.sweepEvery = 30 * time.Second
	}
	if d.sweepAge <= 0 {
		d.sweepAge = time.Minute
	}
	ttl := opts.ChannelCacheTTL
	if ttl <= 0 {
		ttl = 30 * time.Second
	}
	d.channels = newChannelCache(d, ttl)
	d.setup = newSetupState(opts)
	return d, nil
}

func positive[T int | time.Duration](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}

// ErrBadOptions is matched by New's errors.
var ErrBadOptions = errors.New("livedesk: bad options")

func parsePublicURL(raw string) (pub, path string, err error) {
	if raw == "" {
		return "", "", fmt.Errorf("%w: PublicURL is required: the public address Twilio reaches the handler at (https://support.example.com/livedesk)", ErrBadOptions)
	}
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return "", "", fmt.Errorf("%w: PublicURL %q: %v", ErrBadOptions, raw, err)
	case u.Scheme != "https" && u.Scheme != "http":
		return "", "", fmt.Errorf("%w: PublicURL %q must start with https:// (or http:// for local tests)", ErrBadOptions, raw)
	case u.Host == "":
		return "", "", fmt.Errorf("%w: PublicURL %q has no host", ErrBadOptions, raw)
	case u.User != nil:
		return "", "", fmt.Errorf("%w: PublicURL %q must not contain credentials", ErrBadOptions, raw)
	case u.RawQuery != "" || u.Fragment != "" || strings.ContainsAny(raw, "?#"):
		return "", "", fmt.Errorf("%w: PublicURL %q must not have a query or fragment", ErrBadOptions, raw)
	}
	pub = strings.TrimRight(raw, "/")
	return pub, strings.TrimRight(u.EscapedPath(), "/"), nil
}

// WebhookURL is the URL to paste into the Twilio console for a channel:
// the WhatsApp sender's (or Messaging Service's) "A message comes in"
// webhook, method POST.
func (d *Desk) WebhookURL(channelID string) string {
	return d.publicURL + "/twilio/" + channelID
}

// StatusCallbackURL is the URL the desk gives Twilio for delivery statuses
// of the messages it sends on a channel. There is nothing to configure: it
// is set on every message.
func (d *Desk) StatusCallbackURL(channelID string) string {
	return d.WebhookURL(channelID) + "/status"
}

// Store returns the desk's store.
func (d *Desk) Store() store.Store { return d.store }

// wake tells Run there is work, without blocking.
func (d *Desk) wake() {
	select {
	case d.kick <- struct{}{}:
	default:
	}
}
