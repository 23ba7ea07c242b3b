package routing

// Condition is one node of a rule's condition tree: either a group (All, Any, Not) or a leaf test on
// the message. Exactly one field must be set; Compile and the JSON decoder reject a Condition with
// none or with two, because a silently ignored second operator is the kind of mistake a rule author
// never sees until a customer is misrouted. Combine tests with All or Any instead.
//
// The JSON name of each field is the operator name used in stored rules (see the package
// documentation for the full grammar).
type Condition struct {
	// All is satisfied when every child is (logical AND). It must not be empty.
	All []Condition `json:"all,omitempty"`
	// Any is satisfied when at least one child is (logical OR). It must not be empty.
	Any []Condition `json:"any,omitempty"`
	// Not is satisfied when its child is not.
	Not *Condition `json:"not,omitempty"`

	// TextContainsAny is satisfied when the message text contains at least one of the words or
	// phrases, compared case- and accent-insensitively on whole words (see "Text matching").
	TextContainsAny []string `json:"text_contains_any,omitempty"`
	// TextContainsAll is satisfied when the message text contains every one of the words or phrases.
	TextContainsAll []string `json:"text_contains_all,omitempty"`
	// TextStartsWith is satisfied when the text begins with one of the words or phrases (its first
	// word or words), ignoring leading punctuation, case and accents.
	TextStartsWith []string `json:"text_starts_with,omitempty"`
	// TextMatches is a Go regular expression (RE2 syntax) matched against the raw message text. It
	// is case-sensitive unless it starts with (?i).
	TextMatches string `json:"text_matches,omitempty"`

	// MessageType is satisfied when the message type is one of the listed types (MessageText,
	// MessageImage...).
	MessageType []string `json:"message_type,omitempty"`
	// ButtonPayload is satisfied when the payload of the tapped button equals this value exactly.
	ButtonPayload string `json:"button_payload,omitempty"`
	// ButtonPayloadPrefix is satisfied when the payload of the tapped button starts with this value.
	ButtonPayloadPrefix string `json:"button_payload_prefix,omitempty"`

	// Country is satisfied when the contact's country (ISO 3166-1 alpha-2, e.g. "FR") is one of these.
	Country []string `json:"country,omitempty"`
	// PhonePrefix is satisfied when the contact's E.164 number starts with one of these prefixes
	// ("+33", "+3312").
	PhonePrefix []string `json:"phone_prefix,omitempty"`
	// ProfileNameContains is satisfied when the contact's WhatsApp profile name contains one of these
	// words or phrases, with the same rules as TextContainsAny.
	ProfileNameContains []string `json:"profile_name_contains,omitempty"`
	// Attribute tests one host-application attribute of the contact.
	Attribute *AttributeCondition `json:"attribute,omitempty"`

	// BusinessHours is satisfied when the channel is open (HoursOpen) or closed (HoursClosed) at the
	// message time.
	BusinessHours Hours `json:"business_hours,omitempty"`
	// Contact is satisfied when the contact is new (ContactNew: first conversation on the channel) or
	// returning (ContactReturning).
	Contact ContactKind `json:"contact,omitempty"`
	// Channel is satisfied when the message arrived on one of these channel ids.
	Channel []string `json:"channel,omitempty"`
}

// AttributeCondition tests the host-application attribute Key of the contact. Exactly one of Equals,
// Exists and In must be set. Values are compared exactly (byte for byte): attributes are usually ids
// or enum values the host app controls, where "Gold" and "gold" may well mean different things.
type AttributeCondition struct {
	// Key is the attribute name; it must not be empty.
	Key string `json:"key"`
	// Equals is satisfied when the attribute is present with exactly this value. It must not be
	// empty: to test presence use Exists, to test absence wrap Exists in Not.
	Equals string `json:"equals,omitempty"`
	// Exists is satisfied when the attribute is present, whatever its value. Only true is
	// meaningful; wrap the condition in Not to test absence.
	Exists bool `json:"exists,omitempty"`
	// In is satisfied when the attribute is present and its value is one of these.
	In []string `json:"in,omitempty"`
}

// Hours is the business-hours state tested by Condition.BusinessHours.
type Hours string

// The business-hours states.
const (
	// HoursOpen is satisfied when Input.Open is true.
	HoursOpen Hours = "open"
	// HoursClosed is satisfied when Input.Open is false.
	HoursClosed Hours = "closed"
)

// ContactKind tells a first-time contact from a returning one in Condition.Contact.
type ContactKind string

// The contact kinds.
const (
	// ContactNew is satisfied when Input.NewContact is true.
	ContactNew ContactKind = "new"
	// ContactReturning is satisfied when Input.NewContact is false.
	ContactReturning ContactKind = "returning"
)

// The message types accepted by Condition.MessageType and expected in Input.MessageType.
const (
	MessageText     = "text"
	MessageImage    = "image"
	MessageAudio    = "audio"
	MessageVideo    = "video"
	MessageDocument = "document"
	MessageLocation = "location"
	// MessageButton is an interactive reply: a quick-reply or list button tap.
	MessageButton  = "button"
	MessageSticker = "sticker"
	MessageContact = "contact"
	// MessageUnknown is any type the caller could not classify.
	MessageUnknown = "unknown"
)

// messageTypeList is the valid message types in bit order, for error messages.
const messageTypeList = "text, image, audio, video, document, location, button, sticker, contact, unknown"

// messageTypeBit returns the bit of a valid message type in a compiled type set, or -1.
func messageTypeBit(t string) int {
	switch t {
	case MessageText:
		return 0
	case MessageImage:
		return 1
	case MessageAudio:
		return 2
	case MessageVideo:
		return 3
	case MessageDocument:
		return 4
	case MessageLocation:
		return 5
	case MessageButton:
		return 6
	case MessageSticker:
		return 7
	case MessageContact:
		return 8
	case MessageUnknown:
		return 9
	}
	return -1
}

// inputTypeBit returns the bit of an Input's message type. An empty type counts as text (an Input
// built by hand with only Text set is a text message); any other unlisted value counts as unknown.
func inputTypeBit(t string) int {
	if t == "" {
		return 0
	}
	if b := messageTypeBit(t); b >= 0 {
		return b
	}
	return 9
}

// All returns a Condition satisfied when every one of conds is.
func All(conds ...Condition) Condition { return Condition{All: conds} }

// Any returns a Condition satisfied when at least one of conds is.
func Any(conds ...Condition) Condition { return Condition{Any: conds} }

// Not returns a Condition satisfied when c is not.
func Not(c Condition) Condition { return Condition{Not: &c} }

// operators returns the JSON names of the operators set in c, in declaration order. A valid
// Condition has exactly one.
func (c *Condition) operators() []string {
	var ops []string
	add := func(set bool, name string) {
		if set {
			ops = append(ops, name)
		}
	}
	add(len(c.All) > 0, "all")
	add(len(c.Any) > 0, "any")
	add(c.Not != nil, "not")
	add(len(c.TextContainsAny) > 0, "text_contains_any")
	add(len(c.TextContainsAll) > 0, "text_contains_all")
	add(len(c.TextStartsWith) > 0, "text_starts_with")
	add(c.TextMatches != "", "text_matches")
	add(len(c.MessageType) > 0, "message_type")
	add(c.ButtonPayload != "", "button_payload")
	add(c.ButtonPayloadPrefix != "", "button_payload_prefix")
	add(len(c.Country) > 0, "country")
	add(len(c.PhonePrefix) > 0, "phone_prefix")
	add(len(c.ProfileNameContains) > 0, "profile_name_contains")
	add(c.Attribute != nil, "attribute")
	add(c.BusinessHours != "", "business_hours")
	add(c.Contact != "", "contact")
	add(len(c.Channel) > 0, "channel")
	return ops
}
