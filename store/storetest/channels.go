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
	{"update replaces, unknown is ErrNotFound", func(t *testing.T, s store.Store) {
		ch := mustCreateChannel(t, s, "ch1")
		ch.Name = "Renamed"
		ch.Settings.Greeting.Enabled = false
		noErr(t, s.UpdateChannel(ctx(t), ch), "UpdateChannel")
		got, err := s.Channel(ctx(t), "ch1")
		noErr(t, err, "Channel")
		equal(t, got.Name, "Renamed", "Name")
		equal(t, got.Settings.Greeting.Enabled, false, "Greeting.Enabled")
		wantErr(t, s.UpdateChannel(ctx(t), testChannel("ch2")), store.ErrNotFound, "UpdateChannel unknown")
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
