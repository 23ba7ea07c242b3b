package routing

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"regexp/syntax"
	"testing"
)

// everyOperator uses every operator and target kind once, written in the canonical field order so
// that encoding the decoded rules gives back the same bytes.
const everyOperator = `[
 {"name":"Refunds FR","when":{"all":[{"text_contains_any":["refund","remboursement","money back"]},{"country":["FR","BE"]},{"not":{"business_hours":"closed"}}]},"then":{"team":"billing"}},
 {"name":"Invoices","when":{"any":[{"text_contains_all":["invoice","wrong*"]},{"text_starts_with":["facture"]}]},"then":{"agent":"u_7"}},
 {"name":"Orders","when":{"text_matches":"(?i)order\\s*#?\\d+"},"then":{"ai_agent":"gpt"}},
 {"name":"Media","when":{"message_type":["image","video","document"]},"then":{"team":"media"}},
 {"name":"Menu","when":{"button_payload":"menu:sales"},"then":{"team":"sales"}},
 {"name":"Menu other","when":{"button_payload_prefix":"menu:"},"then":{"ai_agent":"menu-bot"}},
 {"name":"UK numbers","when":{"phone_prefix":["+44"]},"then":{"team":"uk"}},
 {"name":"Acme","when":{"profile_name_contains":["acme*"]},"then":{"agent":"u_acme"}},
 {"name":"Gold","when":{"attribute":{"key":"plan","equals":"gold"}},"then":{"agent":"u_gold"}},
 {"name":"VIP","when":{"attribute":{"key":"vip","exists":true}},"then":{"team":"vip"}},
 {"name":"Paid","when":{"attribute":{"key":"plan","in":["silver","platinum"]}},"then":{"team":"paid"}},
 {"name":"Open","when":{"business_hours":"open"},"then":{"team":"day"}},
 {"name":"New","when":{"contact":"new"},"then":{"team":"onboarding"}},
 {"name":"Returning","when":{"contact":"returning"},"then":{"team":"support"}},
 {"name":"Shop channel","when":{"channel":["ch_shop","ch_shop2"]},"then":{"team":"shop"}}
]`

func compact(tb testing.TB, s string) string {
	tb.Helper()
	var buf bytes.Buffer
	if err := json.Compact(&buf, []byte(s)); err != nil {
		tb.Fatal(err)
	}
	return buf.String()
}

func TestJSONRoundTrip(t *testing.T) {
	rules, err := DecodeRules([]byte(everyOperator))
	if err != nil {
		t.Fatalf("DecodeRules: %v", err)
	}
	if len(rules) != 15 {
		t.Fatalf("decoded %d rules, want 15", len(rules))
	}
	out, err := json.Marshal(rules)
	if err != nil {
		t.Fatalf("Marshal: %v", err)
	}
	if got, want := string(out), compact(t, everyOperator); got != want {
		t.Errorf("Marshal(DecodeRules(doc)) differs from doc:\n got %s\nwant %s", got, want)
	}
	again, err := DecodeRules(out)
	if err != nil {
		t.Fatalf("DecodeRules(Marshal(rules)): %v", err)
	}
	if !reflect.DeepEqual(again, rules) {
		t.Errorf("rules changed through a round trip:\n got %+v\nwant %+v", again, rules)
	}
	var viaUnmarshal []Rule
	if err := json.Unmarshal([]byte(everyOperator), &viaUnmarshal); err != nil {
		t.Fatalf("json.Unmarshal: %v", err)
	}
	if !reflect.DeepEqual(viaUnmarshal, rules) {
		t.Errorf("json.Unmarshal and DecodeRules disagree")
	}
	if _, err := Compile(rules); err != nil {
		t.Errorf("Compile(decoded rules): %v", err)
	}
}

func TestJSONRoundTripFromGo(t *testing.T) {
	rules := []Rule{{
		Name: "Refunds FR",
		When: All(
			Condition{TextContainsAny: []string{"refund", "remboursement"}},
			Condition{Country: []string{"FR", "BE"}},
			Not(Condition{BusinessHours: HoursClosed}),
		),
		Then: Target{Team: "billing"},
	}}
	out, err := json.Marshal(rules)
	if err != nil {
		t.Fatal(err)
	}
	const want = `[{"name":"Refunds FR","when":{"all":[{"text_contains_any":["refund","remboursement"]},` +
		`{"country":["FR","BE"]},{"not":{"business_hours":"closed"}}]},"then":{"team":"billing"}}]`
	if string(out) != want {
		t.Errorf("Marshal =\n%s\nwant\n%s", out, want)
	}
	back, err := DecodeRules(out)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, rules) {
		t.Errorf("DecodeRules(Marshal(rules)) = %+v, want %+v", back, rules)
	}
}

func TestDecodeRulesEmpty(t *testing.T) {
	for _, doc := range []string{`[]`, `null`, ` [ ] `} {
		rules, err := DecodeRules([]byte(doc))
		if err != nil || len(rules) != 0 {
			t.Errorf("DecodeRules(%s) = %v, %v; want no rules and no error", doc, rules, err)
		}
	}
}

// rule wraps a condition JSON in a valid rule list with one rule.
func rule(when string) string {
	return `[{"name":"r","when":` + when + `,"then":{"team":"t"}}]`
}

func TestDecodeRulesErrors(t *testing.T) {
	tests := []struct {
		name, doc, want string
	}{
		{"unknown operator, with a suggestion",
			rule(`{"all":[{"country":["FR"]},{"text_contain":["x"]}]}`),
			`routing: rules[0].when.all[1]: unknown field "text_contain"; did you mean "text_contains_any"?`},
		{"unknown rule field, with the list",
			`[{"name":"r","when":{"contact":"new"},"then":{"team":"t"},"enabled":true}]`,
			`routing: rules[0]: unknown field "enabled" (want one of "name", "when", "then")`},
		{"unknown target kind",
			`[{"name":"r","when":{"contact":"new"},"then":{"teams":"t"}}]`,
			`routing: rules[0].then: unknown field "teams"; did you mean "team"?`},
		{"unknown attribute field",
			rule(`{"attribute":{"key":"k","equal":"x"}}`),
			`routing: rules[0].when.attribute: unknown field "equal"; did you mean "equals"?`},
		{"repeated field",
			`[{"name":"a","name":"b","when":{"contact":"new"},"then":{"team":"t"}}]`,
			`routing: rules[0]: field "name" appears twice`},
		{"missing when",
			`[{"name":"r","then":{"team":"t"}}]`,
			`routing: rules[0]: missing "when"`},
		{"missing then",
			`[{"name":"r","when":{"contact":"new"}}]`,
			`routing: rules[0]: missing "then"`},
		{"empty name",
			`[{"name":" ","when":{"contact":"new"},"then":{"team":"t"}}]`,
			`routing: rules[0].name: a rule needs a name (it is shown in decisions and logs)`},
		{"duplicate names",
			`[{"name":"a","when":{"contact":"new"},"then":{"team":"t"}},{"name":"a","when":{"contact":"new"},"then":{"team":"u"}}]`,
			`routing: rules[1].name: "a" is already the name of rules[0]; rule names must be unique`},
		{"empty group",
			rule(`{"any":[{"contact":"new"},{"all":[]}]}`),
			`routing: rules[0].when.any[1].all: empty group; give at least one condition`},
		{"empty condition",
			rule(`{"not":{}}`),
			`routing: rules[0].when.not: empty condition; give exactly one operator, such as "text_contains_any" or "all"`},
		{"two operators in one condition",
			rule(`{"country":["FR"],"contact":"new"}`),
			`routing: rules[0].when: a condition takes exactly one operator, got 2 ("country", "contact"); combine them with "all" or "any"`},
		{"target with no kind",
			`[{"name":"r","when":{"contact":"new"},"then":{}}]`,
			`routing: rules[0].then: a target needs exactly one of "agent", "team" or "ai_agent"; got none`},
		{"target with two kinds",
			`[{"name":"r","when":{"contact":"new"},"then":{"team":"t","agent":"u"}}]`,
			`routing: rules[0].then: a target needs exactly one of "agent", "team" or "ai_agent"; got "agent", "team"`},
		{"empty target value",
			`[{"name":"r","when":{"contact":"new"},"then":{"agent":""}}]`,
			`routing: rules[0].then.agent: empty string; give a value or remove the field`},
		{"invalid regexp",
			rule(`{"text_matches":"a("}`),
			"routing: rules[0].when.text_matches: invalid regular expression (Go RE2 syntax): error parsing regexp: missing closing ): `a(`"},
		{"unknown business hours value",
			rule(`{"business_hours":"opened"}`),
			`routing: rules[0].when.business_hours: unknown value "opened" (want "open" or "closed")`},
		{"unknown contact value",
			rule(`{"contact":"old"}`),
			`routing: rules[0].when.contact: unknown value "old" (want "new" or "returning")`},
		{"unknown message type",
			rule(`{"message_type":["text","gif"]}`),
			`routing: rules[0].when.message_type[1]: unknown message type "gif" (want one of text, image, audio, video, document, location, button, sticker, contact, unknown)`},
		{"unknown country",
			rule(`{"country":["XX"]}`),
			`routing: rules[0].when.country[0]: "XX" is not an ISO 3166-1 alpha-2 country code (like "FR")`},
		{"three-letter country",
			rule(`{"country":["FRA"]}`),
			`routing: rules[0].when.country[0]: "FRA" is not an ISO 3166-1 alpha-2 country code (like "FR")`},
		{"deprecated country",
			rule(`{"country":["UK"]}`),
			`routing: rules[0].when.country[0]: "UK" is a deprecated country code; use "GB"`},
		{"phone prefix without +",
			rule(`{"phone_prefix":["33"]}`),
			`routing: rules[0].when.phone_prefix[0]: "33" is not an E.164 number prefix; write "+" and 1 to 15 digits, like "+33"`},
		{"string instead of list",
			rule(`{"text_contains_any":"refund"}`),
			`routing: rules[0].when.text_contains_any: want a list of strings (a JSON array), got string`},
		{"number in a list",
			rule(`{"channel":["a",2]}`),
			`routing: rules[0].when.channel[1]: want a string, got number`},
		{"empty list",
			rule(`{"country":[]}`),
			`routing: rules[0].when.country: empty list; give at least one value or remove the condition`},
		{"empty string in a set",
			rule(`{"channel":["a",""]}`),
			`routing: rules[0].when.channel[1]: empty channel id; remove it`},
		{"word with nothing to match",
			rule(`{"text_contains_any":["refund","!!"]}`),
			`routing: rules[0].when.text_contains_any[1]: "!!" has no letters, digits or symbols to match; use text_matches for punctuation`},
		{"star inside a word",
			rule(`{"text_contains_any":["re*fund"]}`),
			`routing: rules[0].when.text_contains_any[0]: "re*fund": "*" is only allowed at the end, for a prefix match`},
		{"null condition",
			rule(`{"not":null}`),
			`routing: rules[0].when.not: want a condition (a JSON object), got null`},
		{"empty button payload",
			rule(`{"button_payload":""}`),
			`routing: rules[0].when.button_payload: empty string; give a value or remove the field`},
		{"attribute without test",
			rule(`{"attribute":{"key":"k"}}`),
			`routing: rules[0].when.attribute: an attribute condition needs one of "equals", "exists" (true) or "in"; to test that an attribute is absent, wrap {"exists":true} in "not"`},
		{"attribute without key",
			rule(`{"attribute":{"exists":true}}`),
			`routing: rules[0].when.attribute.key: an attribute condition needs the attribute key`},
		{"attribute exists false",
			rule(`{"attribute":{"key":"k","exists":false}}`),
			`routing: rules[0].when.attribute.exists: only true is allowed; to test that the attribute is absent wrap the condition in "not"`},
		{"attribute exists not a boolean",
			rule(`{"attribute":{"key":"k","exists":"yes"}}`),
			`routing: rules[0].when.attribute.exists: want true or false, got string`},
		{"attribute equals empty",
			rule(`{"attribute":{"key":"k","equals":""}}`),
			`routing: rules[0].when.attribute.equals: empty string; to test that the attribute is set use "exists": true`},
		{"attribute with two tests",
			rule(`{"attribute":{"key":"k","equals":"x","in":["y"]}}`),
			`routing: rules[0].when.attribute: an attribute condition takes one of "equals", "exists" or "in", got "equals", "in"`},
		{"not an array",
			`{"name":"r"}`,
			`routing: rules: want a JSON array of rules, got object`},
		{"a rule that is not an object",
			`["r"]`,
			`routing: rules[0]: want a rule (a JSON object), got string`},
		{"syntax error",
			`[{"name":"a",]`,
			`routing: rules: invalid JSON at byte 14: invalid character ']' looking for beginning of object key string`},
		{"the error is in the third rule",
			`[{"name":"a","when":{"contact":"new"},"then":{"team":"t"}},{"name":"b","when":{"contact":"new"},"then":{"team":"t"}},` +
				`{"name":"c","when":{"all":[{"contact":"new"},{"text_contain":["x"]}]},"then":{"team":"t"}}]`,
			`routing: rules[2].when.all[1]: unknown field "text_contain"; did you mean "text_contains_any"?`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rules, err := DecodeRules([]byte(tt.doc))
			if err == nil {
				t.Fatalf("DecodeRules succeeded with %+v, want error %q", rules, tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("error =\n%s\nwant\n%s", err, tt.want)
			}
			if !errors.Is(err, ErrInvalidRule) {
				t.Errorf("errors.Is(%v, ErrInvalidRule) = false", err)
			}
			var re *RuleError
			if !errors.As(err, &re) || re.Path == "" {
				t.Errorf("error %v is not a *RuleError with a path", err)
			}
		})
	}
}

func TestRuleErrorUnwrapsTheCause(t *testing.T) {
	_, err := DecodeRules([]byte(rule(`{"text_matches":"a("}`)))
	var syn *syntax.Error
	if !errors.As(err, &syn) || syn.Code != syntax.ErrMissingParen {
		t.Errorf("error %v does not wrap the *syntax.Error", err)
	}
}

func TestUnmarshalJSONIsStrict(t *testing.T) {
	tests := []struct {
		name string
		into any
		doc  string
		want string
	}{
		{"rule list", &[]Rule{}, rule(`{"all":[{"country":["FR"]},{"text_contain":["x"]}]}`),
			`routing: rule.when.all[1]: unknown field "text_contain"; did you mean "text_contains_any"?`},
		{"rule", &Rule{}, `{"name":"r","when":{"contact":"new"},"then":{"team":"t","ai_agent":"x"}}`,
			`routing: rule.then: a target needs exactly one of "agent", "team" or "ai_agent"; got "team", "ai_agent"`},
		{"rule with an empty target", &Rule{}, `{"name":"r","when":{"contact":"new"},"then":{}}`,
			`routing: rule.then: a target needs exactly one of "agent", "team" or "ai_agent"; got none`},
		{"rule null", &struct{ R Rule }{}, `{"R":null}`,
			`routing: rule: want a rule (a JSON object), got null`},
		{"condition", &Condition{}, `{"any":[{"text_matches":"("}]}`,
			"routing: condition.any[0].text_matches: invalid regular expression (Go RE2 syntax): error parsing regexp: missing closing ): `(`"},
		{"target", &Target{}, `{"agent":"a","team":"b"}`,
			`routing: target: a target needs exactly one of "agent", "team" or "ai_agent"; got "agent", "team"`},
		{"target with an empty kind", &Target{}, `{"team":""}`,
			`routing: target.team: empty string; give a value or remove the field`},
		{"target in a struct", &struct{ T Target }{}, `{"T":{"robot":"x"}}`,
			`routing: target: unknown field "robot" (want one of "agent", "team", "ai_agent")`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := json.Unmarshal([]byte(tt.doc), tt.into)
			if err == nil || err.Error() != tt.want {
				t.Errorf("json.Unmarshal error =\n%v\nwant\n%s", err, tt.want)
			}
		})
	}
}

func TestCompileErrors(t *testing.T) {
	tests := []struct {
		name  string
		rules []Rule
		want  string
	}{
		{"two operators set in Go",
			[]Rule{{Name: "r", When: Condition{Country: []string{"FR"}, Contact: ContactNew}, Then: Target{Team: "t"}}},
			`routing: rules[0].when: a condition takes exactly one operator, got 2 ("country", "contact"); combine them with "all" or "any"`},
		{"zero condition",
			[]Rule{{Name: "r", Then: Target{Team: "t"}}},
			`routing: rules[0].when: empty condition; give exactly one operator, such as "text_contains_any" or "all"`},
		{"empty condition in a group",
			[]Rule{{Name: "r", When: Any(Condition{Contact: ContactNew}, Not(Condition{})), Then: Target{Team: "t"}}},
			`routing: rules[0].when.any[1].not: empty condition; give exactly one operator, such as "text_contains_any" or "all"`},
		{"bad enum value set in Go",
			[]Rule{{Name: "r", When: Condition{BusinessHours: "Open"}, Then: Target{Team: "t"}}},
			`routing: rules[0].when.business_hours: unknown value "Open" (want "open" or "closed")`},
		{"empty word",
			[]Rule{{Name: "r", When: Condition{TextStartsWith: []string{"hi", ""}}, Then: Target{Team: "t"}}},
			`routing: rules[0].when.text_starts_with[1]: "" has no letters, digits or symbols to match; use text_matches for punctuation`},
		{"lone star",
			[]Rule{{Name: "r", When: Condition{TextContainsAny: []string{"*"}}, Then: Target{Team: "t"}}},
			`routing: rules[0].when.text_contains_any[0]: "*" has no letters, digits or symbols to match; use text_matches for punctuation`},
		{"empty value in an attribute set",
			[]Rule{{Name: "r", When: Condition{Attribute: &AttributeCondition{Key: "k", In: []string{""}}}, Then: Target{Team: "t"}}},
			`routing: rules[0].when.attribute.in[0]: empty value; remove it`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Compile(tt.rules)
			if err == nil || err.Error() != tt.want {
				t.Errorf("Compile error =\n%v\nwant\n%s", err, tt.want)
			}
			if !errors.Is(err, ErrInvalidRule) {
				t.Errorf("errors.Is(%v, ErrInvalidRule) = false", err)
			}
		})
	}
}

func TestUnmarshalJSONValues(t *testing.T) {
	var c Condition
	if err := json.Unmarshal([]byte(`{"not":{"message_type":["sticker","contact","location"]}}`), &c); err != nil {
		t.Fatalf("Unmarshal condition: %v", err)
	}
	want := Not(Condition{MessageType: []string{MessageSticker, MessageContact, MessageLocation}})
	if !reflect.DeepEqual(c, want) {
		t.Errorf("condition = %+v, want %+v", c, want)
	}
	for _, doc := range []string{`null`, `{}`} {
		tg := Target{Team: "before"}
		if err := json.Unmarshal([]byte(doc), &tg); err != nil || tg != (Target{}) {
			t.Errorf("Unmarshal target %s = %+v, %v; want the zero Target", doc, tg, err)
		}
	}
}
