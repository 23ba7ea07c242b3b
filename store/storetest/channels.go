package storetest

import (
	"testing"

	"github.com/livedesk/livedesk/store"
)

var channelCases = []testCase{
	{"create then get returns the channel as stored", func(t *testing.T, s store.Store) {
		want := mustCreateChannel(t, s, "ch1")
		got, err := s.Channel(ctx(t), "ch1")
		noErr(t, err, "Channel")
		equal(t, got.Name, want.Name, "Name")
		equal(t, got.Twilio.AccountSID, want.Twilio.AccountSID, "AccountSID")
		equal(t, got.Twilio.AuthToken, want.Twilio.AuthToken, "AuthToken")
		equal(t, got.Twilio.PhoneNumber, want.Twilio.PhoneNumber, "PhoneNumber")
		equal(t, got.Settings.Greeting, want.Settings.Greeting, "Greeting")
		sameTime(t, got.CreatedAt, want.CreatedAt, "CreatedAt")
	}},
	{"create with a taken ID is ErrExists", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		wantErr(t, s.CreateChannel(ctx(t), testChannel("ch1")), store.ErrExists, "second CreateChannel")
	}},
	{"get unknown is ErrNotFound", func(t *testing.T, s store.Store) {
		_, err := s.Channel(ctx(t), "nope")
		wantErr(t, err, store.ErrNotFound, "Channel")
	}},
	{"update replaces and increments the version, unknown is ErrNotFound", func(t *testing.T, s store.Store) {
		ch := mustCreateChannel(t, s, "ch1")
		equal(t, ch.Version, int64(1), "created at version 1")
		ch.Name = "Renamed"
		ch.Settings.Greeting.Enabled = false
		up, err := s.UpdateChannel(ctx(t), ch)
		noErr(t, err, "UpdateChannel")
		equal(t, up.Version, int64(2), "returned Version")
		got, err := s.Channel(ctx(t), "ch1")
		noErr(t, err, "Channel")
		equal(t, got.Name, "Renamed", "Name")
		equal(t, got.Settings.Greeting.Enabled, false, "Greeting.Enabled")
		equal(t, got.Version, int64(2), "stored Version")
		_, err = s.UpdateChannel(ctx(t), testChannel("ch2"))
		wantErr(t, err, store.ErrNotFound, "UpdateChannel unknown")
	}},
	{"a stale or zero version is ErrConflict and changes nothing", func(t *testing.T, s store.Store) {
		ch := mustCreateChannel(t, s, "ch1")
		first, second := ch, ch
		first.Name = "First"
		_, err := s.UpdateChannel(ctx(t), first)
		noErr(t, err, "first UpdateChannel")
		second.Name = "Second"
		_, err = s.UpdateChannel(ctx(t), second)
		wantErr(t, err, store.ErrConflict, "update based on version 1 after version 2")
		second.Version = 0
		_, err = s.UpdateChannel(ctx(t), second)
		wantErr(t, err, store.ErrConflict, "zero version")
		second.Version = 7
		_, err = s.UpdateChannel(ctx(t), second)
		wantErr(t, err, store.ErrConflict, "future version")
		got, err := s.Channel(ctx(t), "ch1")
		noErr(t, err, "Channel")
		equal(t, got.Name, "First", "Name")
		equal(t, got.Version, int64(2), "Version")
	}},
	{"list is oldest first", func(t *testing.T, s store.Store) {
		for _, id := range []string{"b", "a", "c"} {
			mustCreateChannel(t, s, id)
		}
		list, err := s.ListChannels(ctx(t))
		noErr(t, err, "ListChannels")
		equal(t, len(list), 3, "len")
		for i, id := range []string{"b", "a", "c"} {
			equal(t, list[i].ID, id, "order")
		}
	}},
	{"delete removes, unknown is ErrNotFound", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		noErr(t, s.DeleteChannel(ctx(t), "ch1"), "DeleteChannel")
		_, err := s.Channel(ctx(t), "ch1")
		wantErr(t, err, store.ErrNotFound, "Channel after delete")
		wantErr(t, s.DeleteChannel(ctx(t), "ch1"), store.ErrNotFound, "second DeleteChannel")
	}},
}
