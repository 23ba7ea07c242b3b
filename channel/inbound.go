package channel

// MessageType is the kind of an inbound message, as Twilio reports it in the
// MessageType parameter (or as inferred from the other parameters when Twilio
// leaves it out).
type MessageType string

// Message types seen on WhatsApp through Twilio. Twilio may add others; an
// unknown value is kept as it is.
const (
	TypeText        MessageType = "text"
	TypeImage       MessageType = "image"
	TypeVideo       MessageType = "video"
	TypeAudio       MessageType = "audio"
	TypeDocument    MessageType = "document"
	TypeSticker     MessageType = "sticker"
	TypeLocation    MessageType = "location"
	TypeContacts    MessageType = "contacts"
	TypeInteractive MessageType = "interactive" // quick-reply or list tap in a session message
	TypeButton      MessageType = "button"      // template button tap
	TypeReaction    MessageType = "reaction"
	TypeUnknown     MessageType = "unknown"
)

// IsButton reports whether the message is a tap on a button or list item.
func (t MessageType) IsButton() bool { return t == TypeInteractive || t == TypeButton }

// Inbound is a customer's message as Twilio delivered it to the webhook,
// parsed into typed fields. Every parameter Twilio sent that has no field
// here is kept in Extra, so nothing Twilio adds later is lost.
type Inbound struct {
	MessageSID          string      `json:"message_sid"`
	AccountSID          string      `json:"account_sid"`
	MessagingServiceSID string      `json:"messaging_service_sid,omitempty"`
	From                string      `json:"from"` // whatsapp:+14155550100
	To                  string      `json:"to"`   // whatsapp:+14155238886
	WaID                string      `json:"wa_id,omitempty"`
	ProfileName         string      `json:"profile_name,omitempty"`
	Body                string      `json:"body,omitempty"`
	Type                MessageType `json:"type"`
	Media               []Media     `json:"media,omitempty"`
	Location            *Location   `json:"location,omitempty"`
	ButtonText          string      `json:"button_text,omitempty"`
	ButtonPayload       string      `json:"button_payload,omitempty"`
	ReplyTo             *ReplyTo    `json:"reply_to,omitempty"`
	Referral            *Referral   `json:"referral,omitempty"`
	Forwarded           bool        `json:"forwarded,omitempty"`
	FrequentlyForwarded bool        `json:"frequently_forwarded,omitempty"`
	ExternalUserID      string      `json:"external_user_id,omitempty"`
	ChannelMetadata     string      `json:"channel_metadata,omitempty"` // raw JSON string
	// IdempotencyToken is the I-Twilio-Idempotency-Token header: the same
	// value on Twilio's retries of one delivery.
	IdempotencyToken string `json:"idempotency_token,omitempty"`
	// Extra holds every parameter without a field above (NumSegments,
	// ApiVersion, AddOns, parameters Twilio adds in the future...).
	Extra map[string]string `json:"extra,omitempty"`
}

// Phone returns the customer's number in E.164 form, from From without its
// "whatsapp:" prefix, or built from WaId.
func (in *Inbound) Phone() string {
	const prefix = "whatsapp:"
	if len(in.From) > len(prefix) && in.From[:len(prefix)] == prefix {
		return in.From[len(prefix):]
	}
	if in.WaID != "" {
		return "+" + in.WaID
	}
	return in.From
}

// Text returns what the customer wrote or tapped: the body, else the tapped
// button's title, else a media caption (which Twilio puts in Body too).
func (in *Inbound) Text() string {
	if in.Body != "" {
		return in.Body
	}
	return in.ButtonText
}

// Media is one attachment. URL is Twilio's media URL; fetching it may need
// HTTP Basic auth with the account's credentials.
type Media struct {
	URL         string `json:"url"`
	ContentType string `json:"content_type,omitempty"`
}

// Location is a shared location.
type Location struct {
	Latitude  float64 `json:"latitude"`
	Longitude float64 `json:"longitude"`
	Address   string  `json:"address,omitempty"`
	Label     string  `json:"label,omitempty"`
}

// ReplyTo is the message the customer quoted, or whose button they tapped.
type ReplyTo struct {
	MessageSID string `json:"message_sid"`
	Sender     string `json:"sender,omitempty"`
}

// Referral is the click-to-WhatsApp ad that started the chat.
type Referral struct {
	Body             string `json:"body,omitempty"`
	Headline         string `json:"headline,omitempty"`
	SourceID         string `json:"source_id,omitempty"`
	SourceType       string `json:"source_type,omitempty"`
	SourceURL        string `json:"source_url,omitempty"`
	MediaID          string `json:"media_id,omitempty"`
	MediaContentType string `json:"media_content_type,omitempty"`
	MediaURL         string `json:"media_url,omitempty"`
	NumMedia         string `json:"num_media,omitempty"`
	CtwaClid         string `json:"ctwa_clid,omitempty"`
}
