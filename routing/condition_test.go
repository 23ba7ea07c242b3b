package routing

import "testing"

// holds compiles c as the only rule and reports whether it matches in.
func holds(tb testing.TB, c Condition, in Input) bool {
	tb.Helper()
	r, err := Compile([]Rule{{Name: "r", When: c, Then: Target{Team: "t"}}})
	if err != nil {
		tb.Fatalf("Compile: %v", err)
	}
	return r.Route(in, "").By == DecidedByRule
}

func text(s string) Input { return Input{Text: s, MessageType: MessageText} }

func TestConditions(t *testing.T) {
	words := func(ws ...string) Condition { return Condition{TextContainsAny: ws} }
	tests := []struct {
		name string
		when Condition
		in   Input
		want bool
	}{
		// text_contains_any: whole words, case- and accent-insensitive.
		{"contains_any: exact word", words("refund"), text("refund"), true},
		{"contains_any: ignores case and punctuation", words("refund"), text("I want a Refund!"), true},
		{"contains_any: accents in the text are ignored", words("rembourse"), text("Je veux un REMBOURSÉ"), true},
		{"contains_any: accents in the rule are ignored", words("remboursé"), text("je veux etre rembourse"), true},
		{"contains_any: a longer word does not match", words("refund"), text("it was refunded"), false},
		{"contains_any: a word inside another does not match", words("fund"), text("refund"), false},
		{"contains_any: plural does not match without *", words("refund"), text("refunds please"), false},
		{"contains_any: trailing * matches a prefix", words("refund*"), text("it was REFUNDED"), true},
		{"contains_any: trailing * matches the word itself", words("refund*"), text("refund"), true},
		{"contains_any: trailing * still needs a word start", words("fund*"), text("refunded"), false},
		{"contains_any: any of several", words("refund", "remboursement"), text("un remboursement svp"), true},
		{"contains_any: none of several", words("refund", "remboursement"), text("hello"), false},
		{"contains_any: phrase matches consecutive words", words("money back"), text("I want my MONEY, back!"), true},
		{"contains_any: phrase needs consecutive words", words("money back"), text("money is back"), false},
		{"contains_any: phrase needs its order", words("money back"), text("back money"), false},
		{"contains_any: phrase with extra spaces in the rule", words("  money   back "), text("money back"), true},
		{"contains_any: apostrophe word", words("don't"), text("I DON'T know"), true},
		{"contains_any: emoji", words("👍"), text("ok👍🏽"), true},
		{"contains_any: digits", words("404"), text("error 404."), true},
		{"contains_any: empty text", words("refund"), text(""), false},
		{"contains_any: sharp s", words("strasse"), text("Straße 5"), true},
		// text_contains_all.
		{"contains_all: every word present in any order", Condition{TextContainsAll: []string{"invoice", "wrong"}},
			text("Wrong amount on my invoice"), true},
		{"contains_all: one missing", Condition{TextContainsAll: []string{"invoice", "wrong"}}, text("my invoice"), false},
		// text_starts_with.
		{"starts_with: first word", Condition{TextStartsWith: []string{"stop"}}, text("STOP!"), true},
		{"starts_with: after leading punctuation", Condition{TextStartsWith: []string{"stop"}}, text("  ¡¡stop please"), true},
		{"starts_with: not first", Condition{TextStartsWith: []string{"stop"}}, text("please stop"), false},
		{"starts_with: a longer first word does not match", Condition{TextStartsWith: []string{"stop"}}, text("stopped"), false},
		{"starts_with: prefix with *", Condition{TextStartsWith: []string{"stop*"}}, text("stopped"), true},
		{"starts_with: first two words", Condition{TextStartsWith: []string{"talk to"}}, text("Talk to a human"), true},
		{"starts_with: phrase not at start", Condition{TextStartsWith: []string{"talk to"}}, text("I want to talk to"), false},
		// text_matches.
		{"regexp: matches raw text", Condition{TextMatches: `order #\d{4}`}, text("about order #1234"), true},
		{"regexp: case-sensitive by default", Condition{TextMatches: `ORDER`}, text("order"), false},
		{"regexp: (?i) ignores case", Condition{TextMatches: `(?i)order\s+\d+`}, text("ORDER 12"), true},
		{"regexp: literal present but no match", Condition{TextMatches: `(?i)order\s+\d+`}, text("order soon"), false},
		{"regexp: (?i) literal with k matches the Kelvin sign", Condition{TextMatches: `(?i)ok`}, text("o\u212A"), true},
		{"regexp: alternation", Condition{TextMatches: `^(hi|hello)\b`}, text("hello there"), true},
		{"regexp: anchored", Condition{TextMatches: `^\d+$`}, text("42"), true},
		// message_type.
		{"message_type: in set", Condition{MessageType: []string{MessageImage, MessageVideo}},
			Input{MessageType: MessageImage}, true},
		{"message_type: not in set", Condition{MessageType: []string{MessageImage}}, Input{MessageType: MessageAudio}, false},
		{"message_type: empty input type counts as text", Condition{MessageType: []string{MessageText}}, Input{Text: "hi"}, true},
		{"message_type: unlisted input type counts as unknown", Condition{MessageType: []string{MessageUnknown}},
			Input{MessageType: "reaction"}, true},
		{"message_type: button", Condition{MessageType: []string{MessageButton}}, Input{MessageType: MessageButton}, true},
		// button payload.
		{"button_payload: equal", Condition{ButtonPayload: "menu:billing"}, Input{ButtonPayload: "menu:billing"}, true},
		{"button_payload: not equal", Condition{ButtonPayload: "menu:billing"}, Input{ButtonPayload: "menu:billing2"}, false},
		{"button_payload: case-sensitive", Condition{ButtonPayload: "menu:billing"}, Input{ButtonPayload: "MENU:billing"}, false},
		{"button_payload_prefix: prefix", Condition{ButtonPayloadPrefix: "menu:"}, Input{ButtonPayload: "menu:sales"}, true},
		{"button_payload_prefix: no payload", Condition{ButtonPayloadPrefix: "menu:"}, Input{}, false},
		// country and phone prefix.
		{"country: in set", Condition{Country: []string{"FR", "BE"}}, Input{ContactCountry: "BE"}, true},
		{"country: input case ignored", Condition{Country: []string{"FR"}}, Input{ContactCountry: "fr"}, true},
		{"country: rule case ignored", Condition{Country: []string{"fr"}}, Input{ContactCountry: "FR"}, true},
		{"country: not in set", Condition{Country: []string{"FR"}}, Input{ContactCountry: "DE"}, false},
		{"country: unknown country", Condition{Country: []string{"FR"}}, Input{}, false},
		{"phone_prefix: match", Condition{PhonePrefix: []string{"+33"}}, Input{ContactPhone: "+33612345678"}, true},
		{"phone_prefix: whatsapp: prefix ignored", Condition{PhonePrefix: []string{"+33"}}, Input{ContactPhone: "whatsapp:+33612345678"}, true},
		{"phone_prefix: other country", Condition{PhonePrefix: []string{"+33"}}, Input{ContactPhone: "+44712345678"}, false},
		{"phone_prefix: longer prefix", Condition{PhonePrefix: []string{"+3361"}}, Input{ContactPhone: "+33712345678"}, false},
		// profile name.
		{"profile_name: word, case and accents", Condition{ProfileNameContains: []string{"amelie"}},
			Input{ProfileName: "AMÉLIE Poulain"}, true},
		{"profile_name: whole words only", Condition{ProfileNameContains: []string{"acme"}}, Input{ProfileName: "Acmeco"}, false},
		{"profile_name: prefix with *", Condition{ProfileNameContains: []string{"acme*"}}, Input{ProfileName: "Acmeco"}, true},
		{"profile_name: does not look at the text", Condition{ProfileNameContains: []string{"acme"}}, text("acme"), false},
		// attributes.
		{"attribute equals: equal", Condition{Attribute: &AttributeCondition{Key: "plan", Equals: "gold"}},
			Input{Attributes: map[string]string{"plan": "gold"}}, true},
		{"attribute equals: exact comparison", Condition{Attribute: &AttributeCondition{Key: "plan", Equals: "gold"}},
			Input{Attributes: map[string]string{"plan": "Gold"}}, false},
		{"attribute equals: absent", Condition{Attribute: &AttributeCondition{Key: "plan", Equals: "gold"}}, Input{}, false},
		{"attribute exists: present with empty value", Condition{Attribute: &AttributeCondition{Key: "vip", Exists: true}},
			Input{Attributes: map[string]string{"vip": ""}}, true},
		{"attribute exists: absent", Condition{Attribute: &AttributeCondition{Key: "vip", Exists: true}},
			Input{Attributes: map[string]string{"plan": "x"}}, false},
		{"attribute not exists", Not(Condition{Attribute: &AttributeCondition{Key: "vip", Exists: true}}), Input{}, true},
		{"attribute in: in set", Condition{Attribute: &AttributeCondition{Key: "plan", In: []string{"gold", "platinum"}}},
			Input{Attributes: map[string]string{"plan": "platinum"}}, true},
		{"attribute in: not in set", Condition{Attribute: &AttributeCondition{Key: "plan", In: []string{"gold"}}},
			Input{Attributes: map[string]string{"plan": "silver"}}, false},
		{"attribute in: absent", Condition{Attribute: &AttributeCondition{Key: "plan", In: []string{"gold"}}}, Input{}, false},
		// business hours, contact, channel.
		{"business_hours open: open", Condition{BusinessHours: HoursOpen}, Input{Open: true}, true},
		{"business_hours open: closed", Condition{BusinessHours: HoursOpen}, Input{Open: false}, false},
		{"business_hours closed: closed", Condition{BusinessHours: HoursClosed}, Input{Open: false}, true},
		{"business_hours closed: open", Condition{BusinessHours: HoursClosed}, Input{Open: true}, false},
		{"contact new: new", Condition{Contact: ContactNew}, Input{NewContact: true}, true},
		{"contact new: returning", Condition{Contact: ContactNew}, Input{}, false},
		{"contact returning: returning", Condition{Contact: ContactReturning}, Input{}, true},
		{"contact returning: new", Condition{Contact: ContactReturning}, Input{NewContact: true}, false},
		{"channel: in set", Condition{Channel: []string{"ch1", "ch2"}}, Input{ChannelID: "ch2"}, true},
		{"channel: not in set", Condition{Channel: []string{"ch1"}}, Input{ChannelID: "ch3"}, false},
		// groups.
		{"all: every child holds", All(words("refund"), Condition{Country: []string{"FR"}}),
			Input{Text: "refund", ContactCountry: "FR"}, true},
		{"all: one child fails", All(words("refund"), Condition{Country: []string{"FR"}}),
			Input{Text: "refund", ContactCountry: "DE"}, false},
		{"any: one child holds", Any(words("refund"), Condition{Country: []string{"FR"}}),
			Input{Text: "hello", ContactCountry: "FR"}, true},
		{"any: no child holds", Any(words("refund"), Condition{Country: []string{"FR"}}),
			Input{Text: "hello", ContactCountry: "DE"}, false},
		{"not: negates", Not(words("refund")), text("hello"), true},
		{"not: negates a match", Not(words("refund")), text("refund"), false},
		{"not not", Not(Not(words("refund"))), text("refund"), true},
		{"nested: all of any and not", All(
			Any(words("refund"), words("remboursement")),
			Not(Condition{BusinessHours: HoursClosed}),
			Condition{Country: []string{"FR", "BE"}},
		), Input{Text: "Remboursement!", ContactCountry: "BE", Open: true}, true},
		{"nested: all of any and not, closed", All(
			Any(words("refund"), words("remboursement")),
			Not(Condition{BusinessHours: HoursClosed}),
		), Input{Text: "Remboursement!", Open: false}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := holds(t, tt.when, tt.in); got != tt.want {
				t.Errorf("condition holds = %v, want %v", got, tt.want)
			}
		})
	}
}
