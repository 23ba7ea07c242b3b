package routing

import "strconv"

// Input is what the rules see of one inbound message. The caller fills it from the message, the
// contact and the channel; the routing package does no lookups of its own.
type Input struct {
	// ChannelID is the id of the channel the message arrived on.
	ChannelID string
	// Text is the message body (or media caption); empty for media without caption.
	Text string
	// MessageType is one of MessageText, MessageImage... An empty value counts as MessageText and
	// an unlisted value as MessageUnknown.
	MessageType string
	// ButtonPayload is the payload of the tapped button for MessageButton messages.
	ButtonPayload string
	// ContactPhone is the contact's number in E.164 form ("+33612345678"); a "whatsapp:" prefix is
	// ignored.
	ContactPhone string
	// ContactCountry is the contact's ISO 3166-1 alpha-2 region ("FR"), for example derived from
	// the phone number by the caller; compared case-insensitively.
	ContactCountry string
	// ProfileName is the contact's WhatsApp profile name.
	ProfileName string
	// Attributes are the contact's host-application attributes.
	Attributes map[string]string
	// Open is true when the channel's business hours are open at the message time, and also when
	// the channel has no business hours.
	Open bool
	// NewContact is true for a contact's first conversation on the channel.
	NewContact bool
}

// DecidedBy says which stage of the fixed priority (rules, then AI agent, then human pool) took
// the decision.
type DecidedBy string

// The deciding stages.
const (
	// DecidedByRule: a routing rule matched; Decision.Target is its target.
	DecidedByRule DecidedBy = "rule"
	// DecidedByAI: no rule matched and the channel has an enabled AI agent.
	DecidedByAI DecidedBy = "ai"
	// DecidedByPool: no rule matched and no AI agent; the channel's human agents are assigned by
	// its strategy.
	DecidedByPool DecidedBy = "pool"
)

// Decision is the outcome of Route.
type Decision struct {
	// By is the stage that decided.
	By DecidedBy `json:"by"`
	// Rule is the name of the matching rule (DecidedByRule only).
	Rule string `json:"rule,omitempty"`
	// Index is the position of the matching rule, or -1 when no rule matched.
	Index int `json:"index"`
	// Target is the rule's target, Target{AIAgent: id} for DecidedByAI, and the zero Target for
	// DecidedByPool.
	Target Target `json:"target"`
}

// Reason returns a short human explanation for logs and conversation events: `rule "Refunds FR"`,
// "AI agent gpt" or "human pool".
func (d Decision) Reason() string {
	switch d.By {
	case DecidedByRule:
		return "rule " + strconv.Quote(d.Rule)
	case DecidedByAI:
		return "AI agent " + d.Target.AIAgent
	case DecidedByPool:
		return "human pool"
	}
	return "undecided"
}

// Router evaluates compiled routing rules. Build it with Compile. A Router is immutable and safe
// for concurrent use; a nil *Router behaves as a Router with no rules.
type Router struct {
	rules []compiledRule
}

// UsesCountry reports whether a rule tests the contact's country, so a
// caller can skip computing Input.ContactCountry (a phone-number parse)
// when no rule needs it.
func (r *Router) UsesCountry() bool {
	if r == nil {
		return false
	}
	for _, cr := range r.rules {
		if cr.usesCountry {
			return true
		}
	}
	return false
}

// Len returns the number of rules.
func (r *Router) Len() int {
	if r == nil {
		return 0
	}
	return len(r.rules)
}

// Stack buffer sizes for the folded text and profile name; longer values cost one allocation.
const (
	textBufSize = 512
	nameBufSize = 96
)

// Route decides who takes the conversation of the message in, in the product's fixed priority:
// the first rule (in order) whose condition the message satisfies; otherwise the AI agent
// aiAgentID when it is not empty (the caller passes the channel's enabled AI agent, or "");
// otherwise the human pool.
//
// Route does not allocate unless the folded text is longer than 512 bytes or the folded profile
// name longer than 96 bytes (one allocation each then).
func (r *Router) Route(in Input, aiAgentID string) Decision {
	if r != nil {
		// Folded on first use, into stack buffers: most messages are short and many rule lists
		// never look at the profile name.
		var textBuf [textBufSize]byte
		var nameBuf [nameBufSize]byte
		var text, name folded // b is nil until folded
		for i := range r.rules {
			cr := &r.rules[i]
			if cr.usesText && text.b == nil {
				text = fold(textBuf[:0], in.Text)
			}
			if cr.usesName && name.b == nil {
				name = fold(nameBuf[:0], in.ProfileName)
			}
			if eval(&cr.when, &in, &text, &name) {
				return Decision{By: DecidedByRule, Rule: cr.name, Index: i, Target: cr.target}
			}
		}
	}
	if aiAgentID != "" {
		return Decision{By: DecidedByAI, Index: -1, Target: Target{AIAgent: aiAgentID}}
	}
	return Decision{By: DecidedByPool, Index: -1}
}
