package pgstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/livedesk/livedesk/store"
)

// updateContactSQL is UpdateContact in one statement: the merge is done on
// the locked row ($4 merged into the stored attributes, then the keys $5
// removed), so concurrent updates of different keys are all kept. $2 says
// whether to set the name to $3.
func updateContactSQL() string {
	return `UPDATE {{schema}}.contacts SET
	name = CASE WHEN $2 THEN $3 ELSE name END,
	attributes = (attributes || $4::jsonb) - $5::text[],
	updated_at = $6
	WHERE id = $1
	RETURNING ` + cols(contactColumns, "")
}

// Contact implements store.Contacts.
func (s *Store) Contact(ctx context.Context, id string) (store.Contact, error) {
	return s.contactRow(s.pool.QueryRow(ctx, s.q.contact, id), fmt.Sprintf("contact %q", id))
}

// ContactByPhone implements store.Contacts (the unique index on channel
// and phone finds it).
func (s *Store) ContactByPhone(ctx context.Context, channelID, phone string) (store.Contact, error) {
	return s.contactRow(s.pool.QueryRow(ctx, s.q.contactByPhone, channelID, phone),
		fmt.Sprintf("contact %s on channel %q", phone, channelID))
}

// UpdateContact implements store.Contacts in one statement
// (updateContactSQL).
func (s *Store) UpdateContact(ctx context.Context, u store.ContactUpdate) (store.Contact, error) {
	attrs := u.Attributes
	if attrs == nil {
		attrs = map[string]string{}
	}
	raw, err := json.Marshal(attrs)
	if err != nil {
		return store.Contact{}, fmt.Errorf("pgstore: update contact %q: attributes: %w", u.ContactID, err)
	}
	unset := u.Unset
	if unset == nil {
		unset = []string{}
	}
	var name string
	if u.Name != nil {
		name = *u.Name
	}
	return s.contactRow(s.pool.QueryRow(ctx, s.q.updateContact, u.ContactID, u.Name != nil, name, raw, unset, nullTime(u.At)),
		fmt.Sprintf("contact %q", u.ContactID))
}

// contactRow scans one contact, mapping no row to ErrNotFound; what names
// the contact in errors.
func (s *Store) contactRow(row pgx.Row, what string) (store.Contact, error) {
	var scan contactScan
	err := row.Scan(scan.dest()...)
	if errors.Is(err, pgx.ErrNoRows) {
		return store.Contact{}, fmt.Errorf("pgstore: %s: %w", what, store.ErrNotFound)
	}
	if err != nil {
		return store.Contact{}, fmt.Errorf("pgstore: %s: %w", what, err)
	}
	return scan.contact()
}
