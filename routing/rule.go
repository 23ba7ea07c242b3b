package routing

// Rule is one routing rule: when the condition When is satisfied by an inbound message, the
// conversation goes to Then. Rules are evaluated in order and the first satisfied one wins.
//
// Name identifies the rule in decisions, logs and error messages; it must be non-empty and unique
// within a rule list.
type Rule struct {
	Name string    `json:"name"`
	When Condition `json:"when"`
	Then Target    `json:"then"`
}

// Target is where a matching rule sends the conversation. Exactly one field must be set.
type Target struct {
	// Agent is the id of a human agent who gets the conversation directly.
	Agent string `json:"agent,omitempty"`
	// Team is a team name; the desk assigns the conversation to one of the team's agents with the
	// channel's assignment strategy.
	Team string `json:"team,omitempty"`
	// AIAgent is the id of an AI agent that takes the conversation.
	AIAgent string `json:"ai_agent,omitempty"`
}

// TargetKind says which field of a Target is set.
type TargetKind string

// The target kinds; TargetNone is the zero Target (used by pool decisions).
const (
	TargetNone    TargetKind = ""
	TargetAgent   TargetKind = "agent"
	TargetTeam    TargetKind = "team"
	TargetAIAgent TargetKind = "ai_agent"
)

// Kind returns which field of t is set. For an invalid Target with several fields set it returns
// the first in declaration order; Compile never accepts such a Target.
func (t Target) Kind() TargetKind {
	switch {
	case t.Agent != "":
		return TargetAgent
	case t.Team != "":
		return TargetTeam
	case t.AIAgent != "":
		return TargetAIAgent
	}
	return TargetNone
}

// String returns a short human form such as `team "billing"`, or "none" for the zero Target.
func (t Target) String() string {
	switch t.Kind() {
	case TargetAgent:
		return "agent " + quote(t.Agent)
	case TargetTeam:
		return "team " + quote(t.Team)
	case TargetAIAgent:
		return "AI agent " + quote(t.AIAgent)
	}
	return "none"
}

// kinds returns the JSON names of the fields set in t; a valid Target has exactly one.
func (t Target) kinds() []string {
	var ks []string
	if t.Agent != "" {
		ks = append(ks, "agent")
	}
	if t.Team != "" {
		ks = append(ks, "team")
	}
	if t.AIAgent != "" {
		ks = append(ks, "ai_agent")
	}
	return ks
}
