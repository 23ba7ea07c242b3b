package store

import (
	"context"
	"time"
)

// ContactUpdate changes what the host application knows of a contact.
type ContactUpdate struct {
	ContactID string
	// Name, when not nil, sets the contact's Name ("" clears it).
	Name *string
	// Attributes are merged into the contact's: each key is set to its
	// value, other keys are kept.
	Attributes map[string]string
	// Unset removes these attribute keys (after Attributes is merged).
	Unset []string
	At    time.Time
}

// Contacts finds and updates contacts. RecordInbound creates them.
type Contacts interface {
	// Contact returns a contact, or ErrNotFound.
	Contact(ctx context.Context, id string) (Contact, error)
	// ContactByPhone returns the contact with this E.164 phone number on a
	// channel, or ErrNotFound.
	ContactByPhone(ctx context.Context, channelID, phone string) (Contact, error)
	// UpdateContact applies u atomically (concurrent updates of different
	// keys are all kept) and returns the contact as it is afterwards, with
	// UpdatedAt = u.At. ErrNotFound if there is no such contact.
	UpdateContact(ctx context.Context, u ContactUpdate) (Contact, error)
}
