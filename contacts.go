package livedesk

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/store"
)

// ErrBadContact is matched by errors about a contact update's fields.
var ErrBadContact = errors.New("livedesk: bad contact update")

// Limits on what a host may store on a contact.
const (
	// MaxContactAttributes is the most attributes a contact may have.
	MaxContactAttributes = 100
	// MaxAttributeKey is the longest attribute key, in bytes.
	MaxAttributeKey = 64
	// MaxAttributeValue is the longest attribute value, in bytes.
	MaxAttributeValue = 1024
	// MaxContactName is the longest contact name, in characters.
	MaxContactName = 256
)

// Contact returns a contact, or an error matching ErrNotFound.
func (d *Desk) Contact(ctx context.Context, id string) (store.Contact, error) {
	c, err := d.store.Contact(ctx, id)
	if err != nil {
		return store.Contact{}, fmt.Errorf("livedesk: contact %q: %w", id, err)
	}
	return c, nil
}

// ContactByPhone returns the contact with this phone number on a channel,
// or an error matching ErrNotFound. The number may be given in E.164
// (+33612345678) or as Twilio writes it (whatsapp:+33612345678).
func (d *Desk) ContactByPhone(ctx context.Context, channelID, phone string) (store.Contact, error) {
	p := strings.TrimPrefix(strings.TrimSpace(phone), "whatsapp:")
	if !channel.IsE164(p) {
		return store.Contact{}, fmt.Errorf("%w: phone %s is not E.164 (+33612345678)", ErrBadContact, channel.Excerpt(phone))
	}
	c, err := d.store.ContactByPhone(ctx, channelID, p)
	if err != nil {
		return store.Contact{}, fmt.Errorf("livedesk: contact %s on channel %q: %w", p, channelID, err)
	}
	return c, nil
}

// ContactUpdate is what UpdateContact changes; see store.ContactUpdate.
// Name, when not nil, sets the name agents see ("" clears it); Attributes
// are merged into the contact's (routing's attribute conditions read
// them); Unset removes keys.
type ContactUpdate struct {
	Name       *string
	Attributes map[string]string
	Unset      []string
}

// UpdateContact sets a contact's name and merges attributes, atomically:
// concurrent updates of different keys are all kept. Routing rules see
// the new attributes from the contact's next message. Keys are 1 to 64
// bytes of letters, digits, '_', '-', '.' or ':'; values at most 1024
// bytes of valid UTF-8 without NUL; at most 100 attributes per contact.
// A bad update returns an error matching ErrBadContact and changes
// nothing; an unknown contact, ErrNotFound. It emits contact.updated.
func (d *Desk) UpdateContact(ctx context.Context, contactID string, u ContactUpdate) (store.Contact, error) {
	if err := validateContactUpdate(u); err != nil {
		return store.Contact{}, err
	}
	c, err := d.store.UpdateContact(ctx, store.ContactUpdate{ContactID: contactID, Name: u.Name,
		Attributes: u.Attributes, Unset: u.Unset, At: d.clock.Now()})
	if err != nil {
		return store.Contact{}, fmt.Errorf("livedesk: update contact %q: %w", contactID, err)
	}
	if len(c.Attributes) > MaxContactAttributes {
		// Concurrent updates may together pass the limit; the store merged
		// them atomically, so report it rather than lose one.
		d.log.WarnContext(ctx, "a contact has more attributes than MaxContactAttributes", "contact", c.ID, "attributes", len(c.Attributes))
	}
	d.emit(ctx, Event{Type: EventContactUpdated, ChannelID: c.ChannelID, ContactID: c.ID})
	return c, nil
}

func validateContactUpdate(u ContactUpdate) error {
	var problems []string
	if u.Name != nil && (utf8.RuneCountInString(*u.Name) > MaxContactName || !cleanText(*u.Name)) {
		problems = append(problems, fmt.Sprintf("Name must be at most %d characters of valid UTF-8 without control characters", MaxContactName))
	}
	if len(u.Attributes) > MaxContactAttributes {
		problems = append(problems, fmt.Sprintf("at most %d attributes (got %d)", MaxContactAttributes, len(u.Attributes)))
	}
	for k, v := range u.Attributes {
		if !validAttributeKey(k) {
			problems = append(problems, fmt.Sprintf("attribute key %s must be 1 to %d letters, digits, '_', '-', '.' or ':'", channel.Excerpt(k), MaxAttributeKey))
		}
		if len(v) > MaxAttributeValue || !channel.IsCleanText(v) {
			problems = append(problems, fmt.Sprintf("attribute %s: the value must be at most %d bytes of valid UTF-8 without NUL", channel.Excerpt(k), MaxAttributeValue))
		}
	}
	for _, k := range u.Unset {
		if !validAttributeKey(k) {
			problems = append(problems, fmt.Sprintf("Unset key %s is not a valid attribute key", channel.Excerpt(k)))
		}
	}
	if len(problems) == 0 {
		return nil
	}
	return fmt.Errorf("%w: %s", ErrBadContact, strings.Join(problems, "; "))
}

func validAttributeKey(k string) bool {
	if k == "" || len(k) > MaxAttributeKey {
		return false
	}
	for i := 0; i < len(k); i++ {
		switch c := k[i]; {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '_', c == '-', c == '.', c == ':':
		default:
			return false
		}
	}
	return true
}

// cleanText reports whether s is valid UTF-8 without control characters.
func cleanText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return false
		}
	}
	return true
}
