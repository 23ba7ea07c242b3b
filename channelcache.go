package livedesk

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/hours"
	"github.com/livedesk/livedesk/routing"
	"github.com/livedesk/livedesk/store"
	"github.com/livedesk/livedesk/twilio"
)

// channelEntry is a channel with what the webhook handler derives from it,
// computed once per load.
type channelEntry struct {
	ch         channel.Channel
	verifiers  []*twilio.Verifier // one per accepted auth token
	inboundURL string             // signed URL of the inbound webhook, without query
	statusURL  string
	to         string // "whatsapp:+E164" in classic mode
	schedule   *hours.Schedule
	router     *routing.Router
	strategy   routing.Strategy
	assigner   routing.Assigner
	loaded     time.Time
}

// channelCache keeps recently used channels so a webhook costs no store
// round trip for its channel, and remembers for a while (in a bounded set)
// the IDs just found not to be channels, so repeated requests for one cost
// no store round trip either.
type channelCache struct {
	d     *Desk
	ttl   time.Duration
	mu    sync.RWMutex
	m     map[string]*channelEntry
	miss  map[string]time.Time // ID → when the store said it does not exist
	loads singleflight.Group
}

// maxMissing caps how many unknown IDs the cache remembers.
const maxMissing = 1024

// loadTimeout bounds a shared channel load, which no caller's context
// bounds (Twilio gives up on a webhook after 15 s).
const loadTimeout = 15 * time.Second

func newChannelCache(d *Desk, ttl time.Duration) *channelCache {
	return &channelCache{d: d, ttl: ttl, m: map[string]*channelEntry{}, miss: map[string]time.Time{}}
}

// get returns the channel, from the cache when fresh. An unknown channel is
// errUnknownChannel; any other store error is wrapped in errStore.
//
// Callers asking for the same channel at once share one load. That load
// belongs to none of them: it runs on a context detached from the first
// caller's (its values kept, its cancellation not) and bounded by
// loadTimeout, so a webhook whose client hangs up does not fail the others
// waiting on it; each caller waits at most until its own ctx ends.
func (c *channelCache) get(ctx context.Context, id string) (*channelEntry, error) {
	now := c.d.clock.Now()
	c.mu.RLock()
	e := c.m[id]
	missing, isMissing := c.miss[id]
	c.mu.RUnlock()
	if e != nil && now.Sub(e.loaded) < c.ttl {
		return e, nil
	}
	if isMissing && now.Sub(missing) < c.ttl {
		return nil, fmt.Errorf("%w %q", errUnknownChannel, id)
	}
	load := context.WithoutCancel(ctx)
	res := c.loads.DoChan(id, func() (any, error) {
		ctx, cancel := context.WithTimeout(load, loadTimeout)
		defer cancel()
		ch, err := c.d.store.Channel(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			c.missing(id, c.d.clock.Now())
			return nil, fmt.Errorf("%w %q", errUnknownChannel, id)
		}
		if err != nil {
			return nil, fmt.Errorf("%w: channel %q: %w", errStore, id, err)
		}
		e := c.d.newEntry(ch, c.d.clock.Now())
		c.mu.Lock()
		c.m[id] = e
		c.mu.Unlock()
		return e, nil
	})
	select {
	case r := <-res:
		if r.Err != nil {
			return nil, r.Err
		}
		return r.Val.(*channelEntry), nil
	case <-ctx.Done():
		return nil, fmt.Errorf("%w: channel %q: %w", errStore, id, context.Cause(ctx))
	}
}

// missing records that id is not a channel: its cached entry goes, and the
// ID is remembered for the TTL, within maxMissing IDs (the expired ones go
// first, then any).
func (c *channelCache) missing(id string, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, id)
	if len(c.miss) >= maxMissing {
		for k, at := range c.miss {
			if now.Sub(at) >= c.ttl {
				delete(c.miss, k)
			}
		}
		for k := range c.miss {
			if len(c.miss) < maxMissing {
				break
			}
			delete(c.miss, k)
		}
	}
	c.miss[id] = now
}

// cached reports whether id is a channel this cache has loaded (fresh or
// not): an ID known to be real, without a store round trip.
func (c *channelCache) cached(id string) bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.m[id] != nil
}

func (c *channelCache) put(ch channel.Channel) {
	e := c.d.newEntry(ch, c.d.clock.Now())
	c.mu.Lock()
	c.m[ch.ID] = e
	delete(c.miss, ch.ID)
	c.mu.Unlock()
}

// invalidate forgets the channel (deleted through this desk): the next
// request looks it up again.
func (c *channelCache) invalidate(id string) {
	c.mu.Lock()
	delete(c.m, id)
	c.mu.Unlock()
}

func (d *Desk) newEntry(ch channel.Channel, now time.Time) *channelEntry {
	e := &channelEntry{
		ch:         ch,
		inboundURL: d.WebhookURL(ch.ID),
		statusURL:  d.StatusCallbackURL(ch.ID),
		loaded:     now,
	}
	for _, tok := range ch.Twilio.AuthTokens() {
		e.verifiers = append(e.verifiers, twilio.NewVerifier(string(tok)))
	}
	if ch.Twilio.PhoneNumber != "" {
		e.to = "whatsapp:" + ch.Twilio.PhoneNumber
	}
	sched, err := ch.Settings.BusinessHours.Compile()
	if err != nil {
		// Validated on create/update; only a host without the zone database
		// gets here. Treat the team as always open rather than closed.
		d.log.Error("business hours unusable; treating the channel as always open", "channel", ch.ID, "err", err)
	}
	e.schedule = sched
	a := ch.Settings.Assignment
	if e.router, err = routing.Compile(a.Rules); err != nil {
		d.log.Error("routing rules unusable; ignoring them", "channel", ch.ID, "err", err)
	}
	e.strategy = a.Strategy
	if e.strategy == "" {
		e.strategy = routing.StrategyLeastLoaded
	}
	if e.assigner, err = e.strategy.Assigner(); err != nil {
		e.strategy, e.assigner = routing.StrategyLeastLoaded, routing.LeastLoaded{}
	}
	return e
}
