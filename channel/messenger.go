package channel

import "context"

// Envelope is one message to send to a customer through a channel. Either
// Text and/or MediaURLs (free-form, only inside WhatsApp's 24-hour window)
// or ContentSID (+ ContentVariables: a Content template) is set.
type Envelope struct {
	// To is the customer's number, E.164 (+14155550100).
	To string
	// From pins the sender for Messaging Service channels (the number the
	// customer wrote to, E.164); empty lets Twilio choose. Classic channels
	// always send from their PhoneNumber.
	From             string
	Text             string
	MediaURLs        []string
	ContentSID       string
	ContentVariables map[string]string
	// StatusCallback is the URL Twilio posts delivery statuses to.
	StatusCallback string
	// IdempotencyKey identifies this message for its whole life
	// ("greeting:<conversation>"); a Messenger may pass it to its provider.
	IdempotencyKey string
}

// Receipt is what the provider answered: its message SID and first status
// ("queued", "accepted"...).
type Receipt struct {
	SID    string
	Status string
}

// Messenger sends one message through a channel. Send must not retry on its
// own: the desk's outbox retries what the returned error says is retryable
// (an error with a Retryable() bool method returning true) and records
// everything else as a permanent failure.
type Messenger interface {
	Send(ctx context.Context, ch Channel, msg Envelope) (Receipt, error)
}

// MessengerFunc adapts a function to the Messenger interface.
type MessengerFunc func(ctx context.Context, ch Channel, msg Envelope) (Receipt, error)

// Send calls f.
func (f MessengerFunc) Send(ctx context.Context, ch Channel, msg Envelope) (Receipt, error) {
	return f(ctx, ch, msg)
}
