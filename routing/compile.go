package routing

import (
	"slices"
	"strings"

	"golang.org/x/text/language"
)

// opKind is the test a compiled node performs.
type opKind uint8

// The compiled operators, cheapest first: All and Any evaluate their children in this order (the
// tests have no side effects, so the order cannot change a result, only its cost).
const (
	opOpen opKind = iota
	opNewContact
	opMessageType
	opButtonEq
	opButtonPrefix
	opCountry
	opPhonePrefix
	opChannel
	opAttrExists
	opAttrEquals
	opAttrIn
	opNot
	opProfileAny
	opTextStart
	opTextAny
	opTextAll
	opAll
	opAny
	opTextRegexp
)

// node is a compiled Condition: everything parsed, folded and compiled once so that evaluation only
// compares.
type node struct {
	op   opKind
	want bool   // opOpen, opNewContact: the value of the Input flag that satisfies the node
	mask uint16 // opMessageType: one bit per messageTypeBit
	kids []node // opAll, opAny, opNot (one kid)
	pats []pattern
	strs []string // opCountry (upper case), opPhonePrefix
	set  map[string]struct{}
	key  string // opAttr*: attribute key; opButton*: the payload or prefix
	val  string // opAttrEquals
	re   *textRegexp
}

// compiledRule is a Rule ready for evaluation.
type compiledRule struct {
	name        string
	target      Target
	when        node
	usesText    bool // the condition tests the folded text
	usesName    bool // the condition tests the folded profile name
	usesCountry bool // the condition tests ContactCountry
}

// uses reports whether n or a node below it performs one of ops.
func (n *node) uses(ops ...opKind) bool {
	for _, op := range ops {
		if n.op == op {
			return true
		}
	}
	for i := range n.kids {
		if n.kids[i].uses(ops...) {
			return true
		}
	}
	return false
}

// Compile validates rules and prepares them for Route, so that evaluating a message does no
// parsing: words are folded, regular expressions compiled and sets built here. The rules are
// evaluated in the order given. Errors are *RuleError values (matching ErrInvalidRule) located
// as "rules[i]...".
//
// The Router does not keep references to rules; changing them afterwards does not affect it.
func Compile(rules []Rule) (*Router, error) {
	r := &Router{rules: make([]compiledRule, 0, len(rules))}
	seen := make(map[string]int, len(rules))
	for i := range rules {
		cr, err := compileRule(&rules[i], index("rules", i))
		if err != nil {
			return nil, err
		}
		if j, dup := seen[cr.name]; dup {
			return nil, ruleErrorf(field(index("rules", i), "name"),
				"%s is already the name of rules[%d]; rule names must be unique", quote(cr.name), j)
		}
		seen[cr.name] = i
		r.rules = append(r.rules, cr)
	}
	return r, nil
}

func compileRule(rule *Rule, path string) (compiledRule, error) {
	if strings.TrimSpace(rule.Name) == "" {
		return compiledRule{}, ruleErrorf(field(path, "name"), "a rule needs a name (it is shown in decisions and logs)")
	}
	if err := validateTarget(rule.Then, field(path, "then")); err != nil {
		return compiledRule{}, err
	}
	when, err := compileCondition(&rule.When, field(path, "when"))
	if err != nil {
		return compiledRule{}, err
	}
	return compiledRule{
		name:        rule.Name,
		target:      rule.Then,
		when:        when,
		usesText:    when.uses(opTextAny, opTextAll, opTextStart),
		usesName:    when.uses(opProfileAny),
		usesCountry: when.uses(opCountry),
	}, nil
}

func validateTarget(t Target, path string) error {
	switch ks := t.kinds(); len(ks) {
	case 1:
		return nil
	case 0:
		return ruleErrorf(path, `a target needs exactly one of "agent", "team" or "ai_agent"; got none`)
	default:
		return ruleErrorf(path, `a target needs exactly one of "agent", "team" or "ai_agent"; got %s`, quoteList(ks))
	}
}

func compileCondition(c *Condition, path string) (node, error) {
	ops := c.operators()
	switch len(ops) {
	case 0:
		return node{}, ruleErrorf(path, `empty condition; give exactly one operator, such as "text_contains_any" or "all"`)
	case 1:
	default:
		return node{}, ruleErrorf(path, `a condition takes exactly one operator, got %d (%s); combine them with "all" or "any"`,
			len(ops), quoteList(ops))
	}
	at := field(path, ops[0])
	switch {
	case len(c.All) > 0:
		return compileGroup(opAll, c.All, at)
	case len(c.Any) > 0:
		return compileGroup(opAny, c.Any, at)
	case c.Not != nil:
		kid, err := compileCondition(c.Not, at)
		return node{op: opNot, kids: []node{kid}}, err
	case len(c.TextContainsAny) > 0:
		pats, err := compileWords(c.TextContainsAny, at)
		return node{op: opTextAny, pats: pats}, err
	case len(c.TextContainsAll) > 0:
		pats, err := compileWords(c.TextContainsAll, at)
		return node{op: opTextAll, pats: pats}, err
	case len(c.TextStartsWith) > 0:
		pats, err := compileWords(c.TextStartsWith, at)
		return node{op: opTextStart, pats: pats}, err
	case c.TextMatches != "":
		re, err := compileRegexp(c.TextMatches)
		if err != nil {
			return node{}, ruleErrorf(at, "invalid regular expression (Go RE2 syntax): %w", err)
		}
		return node{op: opTextRegexp, re: re}, nil
	case len(c.MessageType) > 0:
		return compileMessageTypes(c.MessageType, at)
	case c.ButtonPayload != "":
		return node{op: opButtonEq, key: c.ButtonPayload}, nil
	case c.ButtonPayloadPrefix != "":
		return node{op: opButtonPrefix, key: c.ButtonPayloadPrefix}, nil
	case len(c.Country) > 0:
		return compileCountries(c.Country, at)
	case len(c.PhonePrefix) > 0:
		return compilePhonePrefixes(c.PhonePrefix, at)
	case len(c.ProfileNameContains) > 0:
		pats, err := compileWords(c.ProfileNameContains, at)
		return node{op: opProfileAny, pats: pats}, err
	case c.Attribute != nil:
		return compileAttribute(c.Attribute, at)
	case c.BusinessHours != "":
		switch c.BusinessHours {
		case HoursOpen, HoursClosed:
			return node{op: opOpen, want: c.BusinessHours == HoursOpen}, nil
		}
		return node{}, ruleErrorf(at, `unknown value %s (want "open" or "closed")`, quote(string(c.BusinessHours)))
	case c.Contact != "":
		switch c.Contact {
		case ContactNew, ContactReturning:
			return node{op: opNewContact, want: c.Contact == ContactNew}, nil
		}
		return node{}, ruleErrorf(at, `unknown value %s (want "new" or "returning")`, quote(string(c.Contact)))
	default: // c.Channel, the last operator
		set, err := compileSet(c.Channel, at, "channel id")
		return node{op: opChannel, set: set}, err
	}
}

func compileGroup(op opKind, conds []Condition, path string) (node, error) {
	n := node{op: op, kids: make([]node, len(conds))}
	for i := range conds {
		kid, err := compileCondition(&conds[i], index(path, i))
		if err != nil {
			return node{}, err
		}
		n.kids[i] = kid
	}
	// Cheap tests first; a stable sort keeps the author's order among equals.
	slices.SortStableFunc(n.kids, func(a, b node) int { return int(a.op) - int(b.op) })
	return n, nil
}

// compileWords folds each word or phrase into the pattern searched in folded text: " word " for
// a whole word or phrase, " word" when it ends with "*" (prefix match on its last word).
func compileWords(words []string, path string) ([]pattern, error) {
	pats := make([]pattern, len(words))
	for i, w := range words {
		at := index(path, i)
		w = strings.TrimSpace(w)
		prefix := strings.HasSuffix(w, "*")
		if prefix {
			w = strings.TrimSpace(strings.TrimSuffix(w, "*"))
		}
		if strings.Contains(w, "*") {
			return nil, ruleErrorf(at, `%s: "*" is only allowed at the end, for a prefix match`, quote(words[i]))
		}
		p := appendFold(nil, w)
		if len(p) == 1 {
			return nil, ruleErrorf(at, "%s has no letters, digits or symbols to match; use text_matches for punctuation",
				quote(words[i]))
		}
		if prefix {
			p = p[:len(p)-1]
		}
		pats[i] = newPattern(p, prefix)
	}
	return pats, nil
}

func compileMessageTypes(types []string, path string) (node, error) {
	n := node{op: opMessageType}
	for i, t := range types {
		b := messageTypeBit(t)
		if b < 0 {
			return node{}, ruleErrorf(index(path, i), "unknown message type %s (want one of %s)", quote(t), messageTypeList)
		}
		n.mask |= 1 << b
	}
	return n, nil
}

func compileCountries(codes []string, path string) (node, error) {
	n := node{op: opCountry, strs: make([]string, len(codes))}
	for i, code := range codes {
		at := index(path, i)
		reg, err := language.ParseRegion(code)
		if len(code) != 2 || err != nil || !reg.IsCountry() {
			return node{}, ruleErrorf(at, `%s is not an ISO 3166-1 alpha-2 country code (like "FR")`, quote(code))
		}
		if canon := reg.Canonicalize().String(); canon != strings.ToUpper(code) {
			return node{}, ruleErrorf(at, "%s is a deprecated country code; use %s", quote(code), quote(canon))
		}
		n.strs[i] = strings.ToUpper(code)
	}
	return n, nil
}

func compilePhonePrefixes(prefixes []string, path string) (node, error) {
	for i, p := range prefixes {
		ok := len(p) >= 2 && len(p) <= 16 && p[0] == '+'
		for j := 1; ok && j < len(p); j++ {
			ok = '0' <= p[j] && p[j] <= '9'
		}
		if !ok {
			return node{}, ruleErrorf(index(path, i),
				`%s is not an E.164 number prefix; write "+" and 1 to 15 digits, like "+33"`, quote(p))
		}
	}
	return node{op: opPhonePrefix, strs: slices.Clone(prefixes)}, nil
}

func compileAttribute(a *AttributeCondition, path string) (node, error) {
	if a.Key == "" {
		return node{}, ruleErrorf(field(path, "key"), "an attribute condition needs the attribute key")
	}
	var tests []string
	if a.Equals != "" {
		tests = append(tests, "equals")
	}
	if a.Exists {
		tests = append(tests, "exists")
	}
	if len(a.In) > 0 {
		tests = append(tests, "in")
	}
	switch len(tests) {
	case 0:
		return node{}, ruleErrorf(path, `an attribute condition needs one of "equals", "exists" (true) or "in"; `+
			`to test that an attribute is absent, wrap {"exists":true} in "not"`)
	case 1:
	default:
		return node{}, ruleErrorf(path, `an attribute condition takes one of "equals", "exists" or "in", got %s`, quoteList(tests))
	}
	switch tests[0] {
	case "equals":
		return node{op: opAttrEquals, key: a.Key, val: a.Equals}, nil
	case "exists":
		return node{op: opAttrExists, key: a.Key}, nil
	}
	set, err := compileSet(a.In, field(path, "in"), "value")
	return node{op: opAttrIn, key: a.Key, set: set}, err
}

func compileSet(items []string, path, what string) (map[string]struct{}, error) {
	set := make(map[string]struct{}, len(items))
	for i, s := range items {
		if s == "" {
			return nil, ruleErrorf(index(path, i), "empty %s; remove it", what)
		}
		set[s] = struct{}{}
	}
	return set, nil
}
