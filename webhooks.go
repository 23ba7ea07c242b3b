package livedesk

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/livedesk/livedesk/store"
)

// Webhook is an endpoint of the host's that receives chosen events as
// signed HTTP POSTs (see Options.Webhooks).
type Webhook struct {
	// ID names the endpoint. Its place in the feed is kept in the store
	// under this name, so keep it stable: a new ID starts from the events
	// that happen after it is first used.
	ID string
	// URL is where events are POSTed (http or https).
	URL string
	// Secret signs each delivery (WebhookSignatureHeader); at least 16
	// bytes. It is never sent, logged or stored.
	Secret string
	// Types are the event types delivered; empty: all.
	Types []EventType
}

// Webhook delivery headers.
const (
	// WebhookSignatureHeader carries "t=<unix seconds>,v1=<hex>": v1 is
	// HMAC-SHA256 with the endpoint's Secret over "<t>.<body>". Check it
	// with VerifyWebhook.
	WebhookSignatureHeader = "LiveDesk-Signature"
	// WebhookEventHeader is the event's type.
	WebhookEventHeader = "LiveDesk-Event"
	// WebhookDeliveryHeader identifies the delivery: "<webhook ID>:<event
	// position>". A delivery repeated after a crash carries the same ID, so
	// a receiver can drop repeats.
	WebhookDeliveryHeader = "LiveDesk-Delivery"
)

// webhookBatch is how many events one delivery round reads per endpoint.
const webhookBatch = 50

type webhook struct {
	Webhook
	filter store.EventFilter
	busy   atomic.Bool // a delivery round of this process is running
}

func newWebhooks(hooks []Webhook) ([]*webhook, error) {
	seen := map[string]bool{}
	var out []*webhook
	for i, w := range hooks {
		u, err := url.Parse(w.URL)
		switch {
		case strings.TrimSpace(w.ID) == "":
			return nil, fmt.Errorf("%w: Webhooks[%d].ID is empty", ErrBadOptions, i)
		case seen[w.ID]:
			return nil, fmt.Errorf("%w: Webhooks[%d].ID %q is used twice", ErrBadOptions, i, w.ID)
		case err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "":
			return nil, fmt.Errorf("%w: Webhooks[%d].URL %q must be an absolute http(s) URL", ErrBadOptions, i, w.URL)
		case len(w.Secret) < 16:
			return nil, fmt.Errorf("%w: Webhooks[%d].Secret must be at least 16 bytes", ErrBadOptions, i)
		}
		seen[w.ID] = true
		h := &webhook{Webhook: w}
		h.Types = append([]EventType(nil), w.Types...)
		h.filter = EventFilter{Types: h.Types}.store()
		out = append(out, h)
	}
	return out, nil
}

// cursorName is the store cursor of an endpoint.
func (w *webhook) cursorName() string { return "webhook:" + w.ID }

// deliverWebhooks starts a delivery round for every endpoint not already in
// one (in this process; the cursor's lease keeps other processes out).
//
// An endpoint seen for the first time starts at from: the feed's head when
// Run started.
func (d *Desk) deliverWebhooks(ctx context.Context, from Position, goDo func(func())) {
	for _, w := range d.webhooks {
		if !w.busy.CompareAndSwap(false, true) {
			continue
		}
		goDo(func() {
			defer w.busy.Store(false)
			if err := d.deliverWebhook(ctx, w, from); err != nil && ctx.Err() == nil {
				d.log.Error("webhook delivery failed", "webhook", w.ID, "err", err)
			}
		})
	}
}

// deliverWebhook delivers an endpoint's pending events in feed order, one
// at a time: it leases the endpoint's cursor, POSTs each event and moves
// the cursor past it once the endpoint answered 2xx. A failure backs off
// (Options.RetryBackoff) and holds the events behind it; after
// Options.MaxAttempts failures the event is given up (logged) and the
// next one goes. The desk records each delivery once; a process that dies
// between a POST and recording it makes the next round POST it again, with
// the same WebhookDeliveryHeader.
func (d *Desk) deliverWebhook(ctx context.Context, w *webhook, start Position) error {
	claimed := d.clock.Now()
	c, err := d.store.ClaimCursor(ctx, w.cursorName(), start, claimed, d.lease)
	if errors.Is(err, store.ErrCursorBusy) {
		return nil
	}
	if err != nil {
		return err
	}
	release := true
	defer func() {
		if release {
			if err := d.store.SaveCursor(context.WithoutCancel(ctx), c, true); err != nil && !errors.Is(err, store.ErrLeaseLost) {
				d.log.Error("releasing a webhook cursor failed", "webhook", w.ID, "err", err)
			}
		}
	}()
	for {
		evs, err := d.store.ReadEvents(ctx, c.Position, w.filter, webhookBatch)
		if err != nil {
			return err
		}
		for _, se := range evs {
			if d.clock.Now().Sub(claimed) > d.lease/2 {
				return nil // release before the lease can expire mid-POST; the next round goes on
			}
			err := d.postEvent(ctx, w, se)
			if ctx.Err() != nil {
				return nil // stopping: the event goes again next time
			}
			if err != nil {
				c.Attempts++
				c.LastError = err.Error()
				if c.Attempts < d.maxAttempts {
					c.NextAttemptAt = d.clock.Now().Add(d.backoff(c.Attempts))
					d.log.Warn("webhook delivery will be retried", "webhook", w.ID, "event", se.Position.String(),
						"attempts", c.Attempts, "err", err)
					return nil // released with the backoff; the events behind wait
				}
				d.log.Error("webhook delivery given up", "webhook", w.ID, "event", se.Position.String(),
					"attempts", c.Attempts, "err", err)
			}
			c.Position, c.Attempts, c.NextAttemptAt = se.Position, 0, time.Time{}
			if err == nil {
				c.LastError = ""
			}
			if err := d.store.SaveCursor(ctx, c, false); err != nil {
				release = false // lost the lease: someone else has it now
				return err
			}
		}
		if len(evs) < webhookBatch {
			return nil
		}
	}
}

// postEvent POSTs one event; any answer but 2xx is an error.
func (d *Desk) postEvent(ctx context.Context, w *webhook, se store.Event) error {
	e, err := fromStored(se)
	if err != nil {
		return err
	}
	body, err := json.Marshal(e)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(WebhookEventHeader, string(e.Type))
	req.Header.Set(WebhookDeliveryHeader, w.ID+":"+e.Position.String())
	req.Header.Set(WebhookSignatureHeader, SignWebhook(w.Secret, d.clock.Now(), body))
	resp, err := d.webhookClient.Do(req)
	if err != nil {
		return fmt.Errorf("POST %s: %w", redactURL(w.URL), err)
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	_ = resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("POST %s: HTTP %d", redactURL(w.URL), resp.StatusCode)
	}
	return nil
}

// redactURL drops the query and user info of a URL for logs: hosts may put
// tokens there.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(bad URL)"
	}
	u.User, u.RawQuery, u.Fragment = nil, "", ""
	return u.String()
}

// SignWebhook returns the WebhookSignatureHeader value for a body sent at
// t: "t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>".
func SignWebhook(secret string, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	return "t=" + ts + ",v1=" + hex.EncodeToString(webhookMAC(secret, ts, body))
}

func webhookMAC(secret, ts string, body []byte) []byte {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(ts))
	m.Write([]byte{'.'})
	m.Write(body)
	return m.Sum(nil)
}

// ErrWebhookSignature is matched by VerifyWebhook's errors.
var ErrWebhookSignature = errors.New("livedesk: bad webhook signature")

// VerifyWebhook checks a delivery's WebhookSignatureHeader (header) against
// the raw request body with the endpoint's secret, and that its timestamp
// is within tolerance of now (replays of old deliveries fail; tolerance 0
// means 5 minutes). Receivers call it before trusting the body:
//
//	body, _ := io.ReadAll(r.Body)
//	err := livedesk.VerifyWebhook(secret, r.Header.Get(livedesk.WebhookSignatureHeader), body, time.Now(), 0)
func VerifyWebhook(secret, header string, body []byte, now time.Time, tolerance time.Duration) error {
	if tolerance <= 0 {
		tolerance = 5 * time.Minute
	}
	var ts string
	var sigs [][]byte
	for _, part := range strings.Split(header, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "t":
			ts = v
		case "v1":
			if b, err := hex.DecodeString(v); err == nil {
				sigs = append(sigs, b)
			}
		}
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || len(sigs) == 0 {
		return fmt.Errorf("%w: header %q is not \"t=<unix>,v1=<hex>\"", ErrWebhookSignature, header)
	}
	if d := now.Sub(time.Unix(sec, 0)); d > tolerance || d < -tolerance {
		return fmt.Errorf("%w: timestamp %d is %v from now (tolerance %v)", ErrWebhookSignature, sec, d.Round(time.Second), tolerance)
	}
	want := webhookMAC(secret, ts, body)
	for _, s := range sigs {
		if hmac.Equal(s, want) {
			return nil
		}
	}
	return fmt.Errorf("%w: no v1 signature matches", ErrWebhookSignature)
}
