package routing

import (
	"encoding/json"
	"errors"
)

// DecodeRules decodes a JSON array of rules (the format described in the package documentation)
// and validates it as Compile does. It is strict, because a rule that silently does nothing is
// worse than an error: unknown fields, repeated fields, wrong value types, empty lists and groups,
// conditions with zero or two operators, targets with zero or two kinds, unknown enum values and
// invalid regular expressions are rejected with a *RuleError (matching ErrInvalidRule) that says
// where, as in
//
//	routing: rules[2].when.all[1]: unknown field "text_contain"; did you mean "text_contains_any"?
//
// JSON null and [] decode to no rules.
func DecodeRules(data []byte) ([]Rule, error) {
	var raws []json.RawMessage
	if err := json.Unmarshal(data, &raws); err != nil {
		var syn *json.SyntaxError
		if errors.As(err, &syn) {
			return nil, ruleErrorf("rules", "invalid JSON at byte %d: %w", syn.Offset, err)
		}
		return nil, ruleErrorf("rules", "want a JSON array of rules, got %s", kindOf(data))
	}
	if len(raws) == 0 {
		return nil, nil
	}
	rules := make([]Rule, len(raws))
	for i, raw := range raws {
		rule, err := decodeRule(raw, index("rules", i))
		if err != nil {
			return nil, err
		}
		rules[i] = rule
	}
	if _, err := Compile(rules); err != nil {
		return nil, err
	}
	return rules, nil
}

// UnmarshalJSON decodes and validates one rule with the strictness of DecodeRules; error paths
// start at "rule".
func (r *Rule) UnmarshalJSON(data []byte) error {
	rule, err := decodeRule(data, "rule")
	if err != nil {
		return err
	}
	if _, err := compileRule(&rule, "rule"); err != nil {
		return err
	}
	*r = rule
	return nil
}

// UnmarshalJSON decodes and validates one condition with the strictness of DecodeRules; error
// paths start at "condition".
func (c *Condition) UnmarshalJSON(data []byte) error {
	cond, err := decodeCondition(data, "condition")
	if err != nil {
		return err
	}
	if _, err := compileCondition(&cond, "condition"); err != nil {
		return err
	}
	*c = cond
	return nil
}

// UnmarshalJSON decodes one target with the strictness of DecodeRules (error paths start at
// "target"), except that null and {} give the zero Target, as in a pool Decision; a rule's "then"
// must still name exactly one kind.
func (t *Target) UnmarshalJSON(data []byte) error {
	if kindOf(data) == "null" {
		*t = Target{}
		return nil
	}
	target, err := decodeTarget(data, "target")
	if err != nil {
		return err
	}
	if target.Kind() != TargetNone {
		if err := validateTarget(target, "target"); err != nil {
			return err
		}
	}
	*t = target
	return nil
}

func decodeRule(data []byte, path string) (Rule, error) {
	ms, err := decodeObject(data, path, "a rule")
	if err != nil {
		return Rule{}, err
	}
	var r Rule
	for _, m := range ms {
		at := field(path, m.key)
		switch m.key {
		case "name":
			r.Name, err = decodeString(m.val, at, true)
		case "when":
			r.When, err = decodeCondition(m.val, at)
		case "then":
			r.Then, err = decodeTarget(m.val, at)
		default:
			err = unknownField(path, m.key, ruleFields())
		}
		if err != nil {
			return Rule{}, err
		}
	}
	for _, name := range ruleFields() {
		if !hasMember(ms, name) {
			return Rule{}, ruleErrorf(path, "missing %s", quote(name))
		}
	}
	return r, nil
}

// ruleFields are the fields of a rule object, all required.
func ruleFields() []string { return []string{"name", "when", "then"} }

func decodeTarget(data []byte, path string) (Target, error) {
	ms, err := decodeObject(data, path, "a target")
	if err != nil {
		return Target{}, err
	}
	var t Target
	for _, m := range ms {
		at := field(path, m.key)
		switch m.key {
		case "agent":
			t.Agent, err = decodeString(m.val, at, false)
		case "team":
			t.Team, err = decodeString(m.val, at, false)
		case "ai_agent":
			t.AIAgent, err = decodeString(m.val, at, false)
		default:
			err = unknownField(path, m.key, []string{"agent", "team", "ai_agent"})
		}
		if err != nil {
			return Target{}, err
		}
	}
	return t, nil
}

// conditionFields returns the operator names, in the order of Condition's fields.
func conditionFields() []string {
	return []string{
		"all", "any", "not", "text_contains_any", "text_contains_all", "text_starts_with", "text_matches",
		"message_type", "button_payload", "button_payload_prefix", "country", "phone_prefix",
		"profile_name_contains", "attribute", "business_hours", "contact", "channel",
	}
}

func decodeCondition(data []byte, path string) (Condition, error) {
	ms, err := decodeObject(data, path, "a condition")
	if err != nil {
		return Condition{}, err
	}
	var c Condition
	for _, m := range ms {
		at := field(path, m.key)
		var s string
		switch m.key {
		case "all":
			c.All, err = decodeConditions(m.val, at)
		case "any":
			c.Any, err = decodeConditions(m.val, at)
		case "not":
			var kid Condition
			kid, err = decodeCondition(m.val, at)
			c.Not = &kid
		case "text_contains_any":
			c.TextContainsAny, err = decodeStrings(m.val, at)
		case "text_contains_all":
			c.TextContainsAll, err = decodeStrings(m.val, at)
		case "text_starts_with":
			c.TextStartsWith, err = decodeStrings(m.val, at)
		case "text_matches":
			c.TextMatches, err = decodeString(m.val, at, false)
		case "message_type":
			c.MessageType, err = decodeStrings(m.val, at)
		case "button_payload":
			c.ButtonPayload, err = decodeString(m.val, at, false)
		case "button_payload_prefix":
			c.ButtonPayloadPrefix, err = decodeString(m.val, at, false)
		case "country":
			c.Country, err = decodeStrings(m.val, at)
		case "phone_prefix":
			c.PhonePrefix, err = decodeStrings(m.val, at)
		case "profile_name_contains":
			c.ProfileNameContains, err = decodeStrings(m.val, at)
		case "attribute":
			var a AttributeCondition
			a, err = decodeAttribute(m.val, at)
			c.Attribute = &a
		case "business_hours":
			s, err = decodeString(m.val, at, false)
			c.BusinessHours = Hours(s)
		case "contact":
			s, err = decodeString(m.val, at, false)
			c.Contact = ContactKind(s)
		case "channel":
			c.Channel, err = decodeStrings(m.val, at)
		default:
			err = unknownField(path, m.key, conditionFields())
		}
		if err != nil {
			return Condition{}, err
		}
	}
	return c, nil
}

func decodeConditions(data []byte, path string) ([]Condition, error) {
	raws, err := decodeArray(data, path, "a list of conditions")
	if err != nil {
		return nil, err
	}
	if len(raws) == 0 {
		return nil, ruleErrorf(path, "empty group; give at least one condition")
	}
	conds := make([]Condition, len(raws))
	for i, raw := range raws {
		if conds[i], err = decodeCondition(raw, index(path, i)); err != nil {
			return nil, err
		}
	}
	return conds, nil
}

func decodeAttribute(data []byte, path string) (AttributeCondition, error) {
	ms, err := decodeObject(data, path, "an attribute condition")
	if err != nil {
		return AttributeCondition{}, err
	}
	var a AttributeCondition
	for _, m := range ms {
		at := field(path, m.key)
		switch m.key {
		case "key":
			a.Key, err = decodeString(m.val, at, false)
		case "equals":
			if a.Equals, err = decodeString(m.val, at, true); err == nil && a.Equals == "" {
				err = ruleErrorf(at, `empty string; to test that the attribute is set use "exists": true`)
			}
		case "exists":
			if a.Exists, err = decodeBool(m.val, at); err == nil && !a.Exists {
				err = ruleErrorf(at, `only true is allowed; to test that the attribute is absent wrap the condition in "not"`)
			}
		case "in":
			a.In, err = decodeStrings(m.val, at)
		default:
			err = unknownField(path, m.key, []string{"key", "equals", "exists", "in"})
		}
		if err != nil {
			return AttributeCondition{}, err
		}
	}
	return a, nil
}
