package memstore

import (
	"context"
	"fmt"
	"maps"

	"github.com/livedesk/livedesk/store"
)

// Contact implements store.Contacts.
func (s *Store) Contact(ctx context.Context, id string) (store.Contact, error) {
	if err := ctx.Err(); err != nil {
		return store.Contact{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.contacts[id]
	if !ok {
		return store.Contact{}, fmt.Errorf("memstore: contact %q: %w", id, store.ErrNotFound)
	}
	return cloneContact(c), nil
}

// ContactByPhone implements store.Contacts.
func (s *Store) ContactByPhone(ctx context.Context, channelID, phone string) (store.Contact, error) {
	if err := ctx.Err(); err != nil {
		return store.Contact{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.contacts[s.contactByPhone[pair{channelID, phone}]]
	if !ok {
		return store.Contact{}, fmt.Errorf("memstore: contact %s on channel %q: %w", phone, channelID, store.ErrNotFound)
	}
	return cloneContact(c), nil
}

// UpdateContact implements store.Contacts. The stored attribute map is
// replaced, never changed in place, and readers get their own copy.
func (s *Store) UpdateContact(ctx context.Context, u store.ContactUpdate) (store.Contact, error) {
	if err := ctx.Err(); err != nil {
		return store.Contact{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.contacts[u.ContactID]
	if !ok {
		return store.Contact{}, fmt.Errorf("memstore: contact %q: %w", u.ContactID, store.ErrNotFound)
	}
	if u.Name != nil {
		c.Name = *u.Name
	}
	attrs := maps.Clone(c.Attributes)
	if attrs == nil {
		attrs = make(map[string]string, len(u.Attributes))
	}
	maps.Copy(attrs, u.Attributes)
	for _, k := range u.Unset {
		delete(attrs, k)
	}
	if len(attrs) == 0 {
		attrs = nil
	}
	c.Attributes = attrs
	c.UpdatedAt = u.At
	return cloneContact(c), nil
}

// cloneContact copies a stored contact for a caller, who may change it.
func cloneContact(c *store.Contact) store.Contact {
	out := *c
	if c.Attributes != nil {
		out.Attributes = maps.Clone(c.Attributes)
	}
	return out
}
