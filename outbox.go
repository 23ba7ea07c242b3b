package livedesk

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/store"
	"github.com/livedesk/livedesk/twilio"
)

// ambiguousWait is how long a message whose send got no answer waits for a
// status callback before it is tried again.
const ambiguousWait = 3 * time.Minute

// defaultBackoff waits 2 s, 4 s, 8 s... capped at 5 minutes, ±20%.
func defaultBackoff(attempts int) time.Duration {
	d := 2 * time.Second << min(attempts-1, 8)
	d = min(d, 5*time.Minute)
	return time.Duration(float64(d) * (0.8 + 0.4*rand.Float64()))
}

// deliver claims due messages and hands them to g, which bounds the sends
// in flight. It returns how many it claimed.
func (d *Desk) deliver(ctx context.Context, g *errgroup.Group) (int, error) {
	now := d.clock.Now()
	sctx, end := d.span(ctx, SpanStore, SpanAttrs{StoreOp: "ClaimOutbound"})
	claims, err := d.store.ClaimOutbound(sctx, now, d.lease, d.maxInFlight)
	end.End(SpanAttrs{StoreOp: "ClaimOutbound"}, err)
	if err != nil {
		return 0, fmt.Errorf("livedesk: claim outbound: %w", err)
	}
	leaseEnd := now.Add(d.lease)
	for _, c := range claims {
		g.Go(func() error {
			// A claimed message is sent to the end even when Run is stopping:
			// Run waits for in-flight sends before it returns.
			d.sendClaim(context.WithoutCancel(ctx), c, leaseEnd)
			return nil
		})
	}
	return len(claims), nil
}

// sendClaim sends one claimed message and records the outcome before
// leaseEnd.
func (d *Desk) sendClaim(ctx context.Context, c store.Claim, leaseEnd time.Time) {
	m := c.Message
	now := d.clock.Now()
	var res store.SendResult
	e, err := d.channels.get(ctx, m.ChannelID)
	switch {
	case errors.Is(err, errUnknownChannel):
		res = failed(0, "channel deleted before the message was sent")
	case err != nil:
		res = d.retryOrFail(now, m.Attempts, 0, err.Error())
	default:
		sctx, end := d.span(ctx, SpanSend, SpanAttrs{ChannelID: m.ChannelID, ConversationID: m.ConversationID,
			MessageID: m.ID, Kind: string(m.Kind)})
		res = d.attempt(sctx, e, c, now)
		var serr error
		if res.Outcome != store.OutcomeSent {
			serr = errors.New(res.Error)
		}
		end.End(SpanAttrs{ChannelID: m.ChannelID, ConversationID: m.ConversationID, MessageID: m.ID, Kind: string(m.Kind),
			MessageSID: res.SID, Outcome: string(res.Outcome), ErrorCode: res.ErrorCode}, serr)
	}
	res.At = d.clock.Now()
	done, err := d.complete(ctx, c, res, leaseEnd)
	// The conversation's next message may be due now.
	d.wake()
	if err != nil {
		d.log.ErrorContext(ctx, "recording a send result failed", "channel", m.ChannelID, "conversation", m.ConversationID,
			"message", m.ID, "outcome", res.Outcome, "sid", res.SID, "err", err)
		return
	}
	ev := Event{ChannelID: done.ChannelID, ConversationID: done.ConversationID, ContactID: done.ContactID,
		MessageID: done.ID, Kind: string(done.Kind), Reason: done.Error, ErrorCode: done.ErrorCode, Status: string(done.Status)}
	switch res.Outcome {
	case store.OutcomeSent:
		ev.Type = EventMessageSent
	case store.OutcomeRetry:
		ev.Type = EventMessageRetrying
		d.log.WarnContext(ctx, "send failed, will retry", append(failureAttrs(done, res.ErrorCode),
			"attempts", done.Attempts, "next", res.NextAttemptAt, "err", res.Error)...)
	default:
		ev.Type = EventMessageFailed
		d.log.ErrorContext(ctx, "send failed", append(failureAttrs(done, res.ErrorCode),
			"attempts", done.Attempts, "err", res.Error)...)
	}
	d.emit(ctx, ev)
}

// Recording a send result is retried after recordFirstWait, doubling up to
// recordMaxWait, while the lease lasts.
const (
	recordFirstWait = 50 * time.Millisecond
	recordMaxWait   = 5 * time.Second
)

// complete records a send's outcome with CompleteOutbound. A store error
// is retried, at once and then with backoff on the desk's clock, until the
// lease ends: were the result lost (above all a message Twilio accepted),
// the message would be claimed again when its lease expired and sent a
// second time. Retrying is safe because CompleteOutbound only applies
// under the claim's lease token: once the lease is another worker's it
// returns ErrLeaseLost and changes nothing. A retry that finds the lease
// gone may mean the call that "failed" had in fact recorded the result
// (the error came after the commit): that is checked before reporting the
// lease lost.
func (d *Desk) complete(ctx context.Context, c store.Claim, res store.SendResult, leaseEnd time.Time) (store.Message, error) {
	m := c.Message
	wait := recordFirstWait
	for try := 0; ; try++ {
		sctx, end := d.span(ctx, SpanStore, SpanAttrs{StoreOp: "CompleteOutbound", MessageID: m.ID, MessageSID: res.SID})
		done, err := d.store.CompleteOutbound(sctx, m.ID, c.Lease, res)
		end.End(SpanAttrs{StoreOp: "CompleteOutbound", MessageID: m.ID, MessageSID: res.SID}, err)
		switch {
		case err == nil:
			return done, nil
		case errors.Is(err, store.ErrLeaseLost) && try > 0:
			if done, ok := d.recorded(ctx, m, res); ok {
				return done, nil
			}
			return store.Message{}, err
		case errors.Is(err, store.ErrLeaseLost), errors.Is(err, store.ErrNotFound):
			// The lease ran out during the send; the message is another
			// worker's now (or a status callback settled it).
			return store.Message{}, err
		}
		next := time.Duration(0)
		if try > 0 {
			next, wait = wait, min(2*wait, recordMaxWait)
		}
		if !d.clock.Now().Add(next).Before(leaseEnd) {
			return store.Message{}, fmt.Errorf("livedesk: gave up recording the result before the lease ends (%d tries): %w", try+1, err)
		}
		d.log.WarnContext(ctx, "recording a send result failed, retrying", "message", m.ID, "outcome", res.Outcome, "try", try+1, "err", err)
		if next > 0 {
			t := d.clock.NewTimer(next)
			<-t.C()
		}
	}
}

// recorded reports whether res is what the store holds for m, read back
// from its conversation: a CompleteOutbound that returned an error had
// committed. It is only asked on that rare path.
func (d *Desk) recorded(ctx context.Context, m store.Message, res store.SendResult) (store.Message, bool) {
	msgs, err := d.store.Messages(ctx, m.ConversationID)
	if err != nil {
		return store.Message{}, false
	}
	for _, cur := range msgs {
		if cur.ID != m.ID {
			continue
		}
		if cur.Attempts != m.Attempts+1 {
			return store.Message{}, false
		}
		if res.Outcome == store.OutcomeSent {
			return cur, res.SID != "" && cur.SID == res.SID
		}
		return cur, cur.Error == res.Error && cur.Status != store.DeliverySending
	}
	return store.Message{}, false
}

// attempt builds the envelope (applying the 24-hour window) and sends it.
func (d *Desk) attempt(ctx context.Context, e *channelEntry, c store.Claim, now time.Time) store.SendResult {
	m := c.Message
	env := channel.Envelope{
		To:             c.Contact.Phone,
		Text:           m.Text,
		MediaURLs:      m.MediaURLs,
		ContentSID:     m.ContentSID,
		StatusCallback: e.statusURL + "?o=" + m.ID,
		IdempotencyKey: m.Key,
	}
	if e.ch.Twilio.MessagingServiceSID != "" {
		env.From = c.Sender
	}
	if env.ContentSID != "" {
		env.ContentVariables = m.ContentVariables
	} else if !c.Contact.WindowOpen(now, d.windowMargin) {
		if m.TemplateSID == "" {
			return failed(0, ErrOutsideWindow.Error())
		}
		env.Text, env.MediaURLs = "", nil
		env.ContentSID, env.ContentVariables = m.TemplateSID, m.ContentVariables
	}
	r, err := d.messenger.Send(ctx, e.ch, env)
	if err == nil {
		return store.SendResult{Outcome: store.OutcomeSent, SID: r.SID, Status: providerStatus(r.Status)}
	}
	code := 0
	var se *twilio.SendError
	if errors.As(err, &se) {
		code = se.Code
		if se.Ambiguous() {
			// The request went out but no answer came back: Twilio may have
			// the message. Resending now could deliver it twice, so wait for
			// a status callback to settle it (it records the SID and the
			// message is never claimed again); only if none comes is it
			// tried again.
			return store.SendResult{Outcome: store.OutcomeRetry, NextAttemptAt: now.Add(ambiguousWait),
				Error: "no answer from Twilio; waiting for a status callback before trying again: " + err.Error()}
		}
	}
	if twilio.IsRetryable(err) {
		return d.retryOrFail(now, m.Attempts, code, err.Error())
	}
	return failed(code, err.Error())
}

func (d *Desk) retryOrFail(now time.Time, attemptsBefore, code int, msg string) store.SendResult {
	attempts := attemptsBefore + 1
	if attempts >= d.maxAttempts {
		return failed(code, fmt.Sprintf("gave up after %d attempts: %s", attempts, msg))
	}
	return store.SendResult{Outcome: store.OutcomeRetry, NextAttemptAt: now.Add(d.backoff(attempts)), ErrorCode: code, Error: msg}
}

func failed(code int, msg string) store.SendResult {
	return store.SendResult{Outcome: store.OutcomeFailed, ErrorCode: code, Error: msg}
}
