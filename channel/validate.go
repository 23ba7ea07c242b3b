package channel

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/livedesk/livedesk/csat"
	"github.com/livedesk/livedesk/hours"
)

// ErrInvalid is matched (with errors.Is) by every error Validate returns.
var ErrInvalid = errors.New("channel: invalid configuration")

// MaxTextLength is the longest text Twilio accepts in a message Body.
const MaxTextLength = 1600

// Problem is one thing wrong with a channel: the field, with its path, and
// what is expected there.
type Problem struct {
	Field   string
	Message string
	// Err is the underlying error when a sub-package reported the problem
	// (a *hours.FieldError, a csat error...), for errors.Is and errors.As.
	Err error
}

// ValidationError lists every problem found in a channel at once, so a user
// can fix them all in one go.
type ValidationError struct {
	Problems []Problem
}

// Error joins the problems: `channel: Twilio.PhoneNumber "0612" is not E.164
// (+33612345678); Name is required`.
func (e *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString("channel: ")
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(p.Field)
		b.WriteByte(' ')
		b.WriteString(p.Message)
	}
	return b.String()
}

// Is makes errors.Is(err, ErrInvalid) true.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalid }

// Unwrap returns the problems' underlying errors, so errors.Is(err,
// hours.ErrOverlap) works on a channel's error.
func (e *ValidationError) Unwrap() []error {
	var errs []error
	for _, p := range e.Problems {
		if p.Err != nil {
			errs = append(errs, p.Err)
		}
	}
	return errs
}

type problems []Problem

func (ps *problems) add(field, format string, args ...any) {
	*ps = append(*ps, Problem{Field: field, Message: fmt.Sprintf(format, args...)})
}

func (ps problems) err() error {
	if len(ps) == 0 {
		return nil
	}
	return &ValidationError{Problems: ps}
}

// Validate checks the whole channel and returns a *ValidationError listing
// every problem, or nil. It checks the ID only when one is set (the desk
// assigns one otherwise).
func (c Channel) Validate() error {
	var ps problems
	if c.ID != "" && !ValidID(c.ID) {
		ps.add("ID", "%q must be 1 to 64 letters, digits, '-' or '_', starting with a letter or digit", c.ID)
	}
	switch name := strings.TrimSpace(c.Name); {
	case name == "":
		ps.add("Name", "is required (e.g. \"Support FR\")")
	case utf8.RuneCountInString(name) > 100:
		ps.add("Name", "is longer than 100 characters")
	}
	c.Twilio.validate(&ps)
	c.Settings.validate(&ps)
	return ps.err()
}

func (t Twilio) validate(ps *problems) {
	if !validSID(t.AccountSID, "AC") {
		ps.add("Twilio.AccountSID", "%q is not AC followed by 32 hex digits (AC0123456789abcdef0123456789abcdef, Twilio console > Account info)", t.AccountSID)
	}
	switch {
	case t.AuthToken == "":
		ps.add("Twilio.AuthToken", "is required: Twilio signs webhooks with it (Twilio console > Account info)")
	case !alphanumeric(t.AuthToken.Reveal()):
		ps.add("Twilio.AuthToken", "must contain only letters and digits (32 hex characters in the Twilio console)")
	}
	if t.SecondaryAuthToken != "" && !alphanumeric(string(t.SecondaryAuthToken)) {
		ps.add("Twilio.SecondaryAuthToken", "must contain only letters and digits")
	}
	switch {
	case t.PhoneNumber == "" && t.MessagingServiceSID == "":
		ps.add("Twilio", "needs PhoneNumber (classic mode) or MessagingServiceSID (Messaging Service mode)")
	case t.PhoneNumber != "" && t.MessagingServiceSID != "":
		ps.add("Twilio", "has both PhoneNumber and MessagingServiceSID: set only one (PhoneNumber for classic mode, MessagingServiceSID for Messaging Service mode)")
	case t.PhoneNumber != "":
		if !IsE164(t.PhoneNumber) {
			ps.add("Twilio.PhoneNumber", "%q is not E.164 (+14155238886)", t.PhoneNumber)
		}
	default:
		if !validSID(t.MessagingServiceSID, "MG") {
			ps.add("Twilio.MessagingServiceSID", "%q is not MG followed by 32 hex digits (Twilio console > Messaging > Services)", t.MessagingServiceSID)
		}
	}
	switch {
	case t.APIKeySID == "" && t.APIKeySecret == "":
	case t.APIKeySID == "":
		ps.add("Twilio.APIKeySID", "is required when APIKeySecret is set")
	case t.APIKeySecret == "":
		ps.add("Twilio.APIKeySecret", "is required when APIKeySID is set")
	default:
		if !validSID(t.APIKeySID, "SK") {
			ps.add("Twilio.APIKeySID", "%q is not SK followed by 32 hex digits", t.APIKeySID)
		}
		if !alphanumeric(t.APIKeySecret.Reveal()) {
			ps.add("Twilio.APIKeySecret", "must contain only letters and digits")
		}
	}
}

// absorb adds the problems a sub-package's Validate reported under field.
func (ps *problems) absorb(field string, err error, strip string) {
	if err == nil {
		return
	}
	errs := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	}
	for _, e := range errs {
		var fe *hours.FieldError
		if errors.As(e, &fe) {
			f := field
			if fe.Field != "" {
				f += "." + fe.Field
			}
			*ps = append(*ps, Problem{Field: f, Message: fe.Msg, Err: e})
			continue
		}
		*ps = append(*ps, Problem{Field: field, Message: strings.TrimPrefix(e.Error(), strip), Err: e})
	}
}

func (s Settings) validate(ps *problems) {
	ps.absorb("Settings.BusinessHours", s.BusinessHours.Validate(), "")
	ps.absorb("Settings.CSAT", s.CSAT.Validate(), csat.ErrInvalidConfig.Error()+": ")
	s.Assignment.validate(ps)
	if s.Greeting.Enabled && strings.TrimSpace(s.Greeting.Text) == "" {
		ps.add("Settings.Greeting.Text", "is required when the greeting is enabled")
	}
	if utf8.RuneCountInString(s.Greeting.Text) > MaxTextLength {
		ps.add("Settings.Greeting.Text", "is longer than %d characters", MaxTextLength)
	}
	// Like the greeting: an enabled feature that would send an empty
	// message is a configuration mistake, not a silent no-op.
	if b := s.BusinessHours; b.Enabled && strings.TrimSpace(b.OutOfOfficeMessage) == "" {
		ps.add("Settings.BusinessHours.OutOfOfficeMessage", "is required when business hours are enabled "+
			"(customers who write while you are closed get it; {{next_open}} says when you open)")
	}
	if utf8.RuneCountInString(s.BusinessHours.OutOfOfficeMessage) > MaxTextLength {
		ps.add("Settings.BusinessHours.OutOfOfficeMessage", "is longer than %d characters", MaxTextLength)
	}
}

// ValidID reports whether id can be a channel ID: 1 to 64 ASCII letters,
// digits, '-' or '_', starting with a letter or digit. UUIDs qualify.
func ValidID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case (c == '-' || c == '_') && i > 0:
		default:
			return false
		}
	}
	return true
}

// validSID reports whether s is prefix followed by 32 lowercase hex digits,
// the shape of every Twilio SID.
func validSID(s, prefix string) bool {
	if len(s) != 34 || !strings.HasPrefix(s, prefix) {
		return false
	}
	for i := 2; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

func alphanumeric(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}
