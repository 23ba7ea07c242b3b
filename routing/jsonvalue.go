package routing

import (
	"bytes"
	"encoding/json"
)

// The helpers below decode one JSON value at a path. They are only ever given syntactically valid
// JSON (encoding/json validates a document before calling UnmarshalJSON, and DecodeRules before
// splitting it), so their errors are about shape, not syntax.

// member is one key/value pair of a JSON object, in document order.
type member struct {
	key string
	val json.RawMessage
}

// decodeObject splits a JSON object into its members, rejecting repeated keys (encoding/json would
// silently keep the last one, hiding half of what the author wrote).
func decodeObject(data []byte, path, what string) ([]member, error) {
	if k := kindOf(data); k != "object" {
		return nil, ruleErrorf(path, "want %s (a JSON object), got %s", what, k)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if _, err := dec.Token(); err != nil { // the opening brace
		return nil, ruleErrorf(path, "invalid JSON: %w", err)
	}
	var ms []member
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, ruleErrorf(path, "invalid JSON: %w", err)
		}
		key, _ := tok.(string)
		var val json.RawMessage
		if err := dec.Decode(&val); err != nil {
			return nil, ruleErrorf(field(path, key), "invalid JSON: %w", err)
		}
		if hasMember(ms, key) {
			return nil, ruleErrorf(path, "field %s appears twice", quote(key))
		}
		ms = append(ms, member{key: key, val: val})
	}
	return ms, nil
}

func hasMember(ms []member, key string) bool {
	for _, m := range ms {
		if m.key == key {
			return true
		}
	}
	return false
}

// decodeArray splits a JSON array into its elements.
func decodeArray(data []byte, path, what string) ([]json.RawMessage, error) {
	if k := kindOf(data); k != "array" {
		return nil, ruleErrorf(path, "want %s (a JSON array), got %s", what, k)
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(data, &raws); err != nil {
		return nil, ruleErrorf(path, "invalid JSON: %w", err)
	}
	return raws, nil
}

// decodeString decodes a JSON string; an empty one is an error unless allowEmpty.
func decodeString(data []byte, path string, allowEmpty bool) (string, error) {
	if k := kindOf(data); k != "string" {
		return "", ruleErrorf(path, "want a string, got %s", k)
	}
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return "", ruleErrorf(path, "invalid JSON: %w", err)
	}
	if s == "" && !allowEmpty {
		return "", ruleErrorf(path, "empty string; give a value or remove the field")
	}
	return s, nil
}

// decodeStrings decodes a non-empty JSON array of strings. Empty strings inside are left for
// Compile, which knows what each list holds and can say why an empty item is wrong.
func decodeStrings(data []byte, path string) ([]string, error) {
	raws, err := decodeArray(data, path, "a list of strings")
	if err != nil {
		return nil, err
	}
	if len(raws) == 0 {
		return nil, ruleErrorf(path, "empty list; give at least one value or remove the condition")
	}
	ss := make([]string, len(raws))
	for i, raw := range raws {
		if ss[i], err = decodeString(raw, index(path, i), true); err != nil {
			return nil, err
		}
	}
	return ss, nil
}

func decodeBool(data []byte, path string) (bool, error) {
	switch string(data) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, ruleErrorf(path, "want true or false, got %s", kindOf(data))
}

// kindOf names the kind of a JSON value for error messages.
func kindOf(data []byte) string {
	data = bytes.TrimLeft(data, " \t\r\n")
	if len(data) == 0 {
		return "nothing"
	}
	switch data[0] {
	case '{':
		return "object"
	case '[':
		return "array"
	case '"':
		return "string"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	}
	return "number"
}

// unknownField reports an unexpected key, suggesting the closest known one when it is plausibly a
// typo.
func unknownField(path, key string, known []string) error {
	maxDist := 1 // short names: one typo
	if len(key) >= 6 {
		maxDist = 2
	}
	best, bestDist := "", maxDist+1
	for _, k := range known {
		d := editDistance(key, k)
		if len(key) >= 4 && len(k) > len(key) && k[:len(key)] == key {
			d = min(d, 1) // a truncated name: "text_contain" for "text_contains_any"
		}
		if d < bestDist {
			best, bestDist = k, d
		}
	}
	if best == "" {
		return ruleErrorf(path, "unknown field %s (want one of %s)", quote(key), quoteList(known))
	}
	return ruleErrorf(path, "unknown field %s; did you mean %s?", quote(key), quote(best))
}

// editDistance is the Levenshtein distance between two short ASCII names.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
