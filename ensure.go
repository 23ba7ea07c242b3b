package livedesk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"

	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/store"
)

// Ensured says what EnsureChannel did.
type Ensured string

// What EnsureChannel did.
const (
	// EnsureCreated: there was no channel with that ID; it was created.
	EnsureCreated Ensured = "created"
	// EnsureUpdated: the stored name, credentials or settings differed from
	// the configuration given; they were replaced.
	EnsureUpdated Ensured = "updated"
	// EnsureUnchanged: the stored channel already matched; nothing was
	// written.
	EnsureUnchanged Ensured = "unchanged"
)

// EnsureChannel is get-or-create for hosts that configure their channels
// from code at start-up, with fixed IDs, on a persistent store: call it on
// every start instead of CreateChannel, which returns an error matching
// ErrExists the second time.
//
// ch.ID is required. When no channel has that ID, EnsureChannel creates ch
// exactly as CreateChannel does (validated, checked with Twilio, members
// from Settings.Assignment.Agents and AIAgents). When one exists, the
// configuration in code wins for what code configures, and the store keeps
// what people change at run time:
//
//   - Name, Twilio and Settings equal to the stored ones (membership
//     aside): nothing is written (EnsureUnchanged), no Version bump, no
//     call to Twilio.
//   - Otherwise they replace the stored ones through UpdateChannel, a
//     compare-and-swap on the stored Version; when another process changed
//     the channel in between (ErrConflict), EnsureChannel reads it again and
//     retries. Changed credentials are checked with Twilio first.
//   - Membership is kept: agents added or removed with AddAgent,
//     RemoveAgent, AddAIAgent... stay as they are, and ch's
//     Settings.Assignment.Agents and AIAgents are only a new channel's
//     first members.
//
// Two replicas starting at once are safe: the one whose create loses
// (ErrExists) compares and updates instead. Invalid configuration returns
// a *channel.ValidationError and changes nothing, as in CreateChannel.
func (d *Desk) EnsureChannel(ctx context.Context, ch channel.Channel) (channel.Channel, Ensured, error) {
	if ch.ID == "" {
		return channel.Channel{}, "", fmt.Errorf("livedesk: ensure channel: ID is required (a fixed ID is what makes it the same channel on every start)")
	}
	for attempt := 0; ; attempt++ {
		stored, err := d.store.Channel(ctx, ch.ID)
		if errors.Is(err, store.ErrNotFound) {
			created, err := d.CreateChannel(ctx, ch)
			if errors.Is(err, store.ErrExists) && attempt < 3 {
				continue // another replica created it first: compare with theirs
			}
			if err != nil {
				return channel.Channel{}, "", err
			}
			d.log.InfoContext(ctx, "livedesk: channel created", "channel", ch.ID)
			return created, EnsureCreated, nil
		}
		if err != nil {
			return channel.Channel{}, "", fmt.Errorf("livedesk: ensure channel %q: %w", ch.ID, err)
		}
		if sameConfig(stored, ch) {
			return stored, EnsureUnchanged, nil
		}
		want := ch
		want.Version = stored.Version
		updated, err := d.UpdateChannel(ctx, want)
		if errors.Is(err, store.ErrConflict) && attempt < 3 {
			continue // changed in between: compare with the new version
		}
		if err != nil {
			return channel.Channel{}, "", err
		}
		d.log.InfoContext(ctx, "livedesk: channel updated from its configuration", "channel", ch.ID, "version", updated.Version)
		return updated, EnsureUpdated, nil
	}
}

// sameConfig reports whether a and b have the same name, Twilio
// configuration and settings, membership aside. Settings are compared as
// the JSON a store keeps, so an empty list equals a missing one.
func sameConfig(a, b channel.Channel) bool {
	if a.Name != b.Name || a.Twilio != b.Twilio {
		return false
	}
	return reflect.DeepEqual(settingsValue(a.Settings), settingsValue(b.Settings))
}

// settingsValue is s without membership, as decoded JSON with empty
// values (null, "", [], {}) dropped.
func settingsValue(s channel.Settings) any {
	s.Assignment.Agents, s.Assignment.AIAgents = nil, nil
	raw, err := json.Marshal(s)
	if err != nil {
		return err.Error() // never equal to a decoded value
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return err.Error()
	}
	return dropEmpty(v)
}

func dropEmpty(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			if e = dropEmpty(e); e == nil {
				delete(v, k)
			} else {
				v[k] = e
			}
		}
		if len(v) == 0 {
			return nil
		}
		return v
	case []any:
		for i, e := range v {
			v[i] = dropEmpty(e)
		}
		if len(v) == 0 {
			return nil
		}
		return v
	case string:
		if v == "" {
			return nil
		}
	}
	return v
}
