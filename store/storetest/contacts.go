package storetest

import (
	"fmt"
	"maps"
	"testing"
	"time"

	"github.com/livedesk/livedesk/store"
)

func strp(s string) *string { return &s }

var contactCases = []testCase{
	{"find a contact by channel and phone; unknown is ErrNotFound", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		mustCreateChannel(t, s, "ch2")
		res := mustRecord(t, s, inbound("ch1", "+33612345678", 1, t0))
		got, err := s.ContactByPhone(ctx(t), "ch1", "+33612345678")
		noErr(t, err, "ContactByPhone")
		equal(t, got.ID, res.Contact.ID, "ID")
		equal(t, got.ProfileName, "Ana", "ProfileName")
		_, err = s.ContactByPhone(ctx(t), "ch2", "+33612345678")
		wantErr(t, err, store.ErrNotFound, "another channel")
		_, err = s.ContactByPhone(ctx(t), "ch1", "+33600000000")
		wantErr(t, err, store.ErrNotFound, "another phone")
	}},
	{"update merges attributes, unsets keys and sets the name", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		res := mustRecord(t, s, inbound("ch1", "+33612345678", 1, t0))
		at := t0.Add(time.Minute)
		got, err := s.UpdateContact(ctx(t), store.ContactUpdate{ContactID: res.Contact.ID, Name: strp("Ana Lima"),
			Attributes: map[string]string{"plan": "gold", "city": "Lyon"}, At: at})
		noErr(t, err, "UpdateContact")
		equal(t, got.Name, "Ana Lima", "Name")
		equal(t, len(got.Attributes), 2, "attributes")
		sameTime(t, got.UpdatedAt, at, "UpdatedAt")
		got, err = s.UpdateContact(ctx(t), store.ContactUpdate{ContactID: res.Contact.ID,
			Attributes: map[string]string{"plan": "platinum", "order": "A-1"}, Unset: []string{"city", "absent"}, At: at.Add(time.Minute)})
		noErr(t, err, "second UpdateContact")
		want := map[string]string{"plan": "platinum", "order": "A-1"}
		for _, c := range []store.Contact{got, mustContact(t, s, res.Contact.ID)} {
			if !maps.Equal(c.Attributes, want) {
				t.Fatalf("attributes %v, want %v", c.Attributes, want)
			}
			equal(t, c.Name, "Ana Lima", "a nil Name keeps the name")
			equal(t, c.ProfileName, "Ana", "ProfileName is WhatsApp's")
		}
		got, err = s.UpdateContact(ctx(t), store.ContactUpdate{ContactID: res.Contact.ID, Name: strp(""), Unset: []string{"plan", "order"}, At: at})
		noErr(t, err, "third UpdateContact")
		equal(t, got.Name, "", "Name cleared")
		equal(t, len(got.Attributes), 0, "no attributes left")
		again := mustRecord(t, s, inbound("ch1", "+33612345678", 2, at.Add(time.Hour)))
		equal(t, again.Contact.Name, "", "RecordInbound keeps the host's fields")
	}},
	{"attributes survive a new inbound message; unknown contact is ErrNotFound", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		res := mustRecord(t, s, inbound("ch1", "+33612345678", 1, t0))
		_, err := s.UpdateContact(ctx(t), store.ContactUpdate{ContactID: res.Contact.ID, Name: strp("Ana L."), Attributes: map[string]string{"plan": "gold"}, At: t0})
		noErr(t, err, "UpdateContact")
		next := mustRecord(t, s, inbound("ch1", "+33612345678", 2, t0.Add(time.Minute)))
		equal(t, next.Contact.Attributes["plan"], "gold", "RecordInbound's contact has the attributes")
		equal(t, next.Contact.Name, "Ana L.", "and the name")
		_, err = s.UpdateContact(ctx(t), store.ContactUpdate{ContactID: "nope", Attributes: map[string]string{"a": "b"}, At: t0})
		wantErr(t, err, store.ErrNotFound, "unknown contact")
	}},
	{"concurrent updates of different keys are all kept; readers get their own map", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		res := mustRecord(t, s, inbound("ch1", "+33612345678", 1, t0))
		parallel(t, 30, func(i int) error {
			_, err := s.UpdateContact(ctx(t), store.ContactUpdate{ContactID: res.Contact.ID,
				Attributes: map[string]string{fmt.Sprintf("k%02d", i): fmt.Sprint(i)}, At: t0})
			return err
		})
		c := mustContact(t, s, res.Contact.ID)
		equal(t, len(c.Attributes), 30, "attributes")
		c.Attributes["k00"] = "changed by the caller"
		equal(t, mustContact(t, s, res.Contact.ID).Attributes["k00"], "0", "stored value")
	}},
}

func mustContact(t *testing.T, s store.Store, id string) store.Contact {
	t.Helper()
	c, err := s.Contact(ctx(t), id)
	noErr(t, err, "Contact("+id+")")
	return c
}
