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
// round trip for its channel.
type channelCache struct {
	d     *Desk
	ttl   time.Duration
	mu    sync.RWMutex
	m     map[string]*channelEntry
	loads singleflight.Group
}

func newChannelCache(d *Desk, ttl time.Duration) *channelCache {
	return &channelCache{d: d, ttl: ttl, m: map[string]*channelEntry{}}
}

// get returns the channel, from the cache when fresh. An unknown channel is
// errUnknownChannel; any other store error is wrapped in errStore.
func (c *channelCache) get(ctx context.Context, id string) (*channelEntry, error) {
	now := c.d.clock.Now()
	c.mu.RLock()
	e := c.m[id]
	c.mu.RUnlock()
	if e != nil && now.Sub(e.loaded) < c.ttl {
		return e, nil
	}
	v, err, _ := c.loads.Do(id, func() (any, error) {
		ch, err := c.d.store.Channel(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			c.invalidate(id)
			return nil, fmt.Errorf("%w %q", errUnknownChannel, id)
		}
		if err != nil {
			return nil, fmt.Errorf("%w: channel %q: %w", errStore, id, err)
		}
		e := c.d.newEntry(ch, now)
		c.mu.Lock()
		c.m[id] = e
		c.mu.Unlock()
		return e, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*channelEntry), nil
}

func (c *channelCache) put(ch channel.Channel) {
	e := c.d.newEntry(ch, c.d.clock.Now())
	c.mu.Lock()
	c.m[ch.ID] = e
	c.mu.Unlock()
}

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
