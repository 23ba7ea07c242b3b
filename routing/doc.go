// Package routing decides who takes a new conversation: routing rules, then the channel's AI agent,
// then its human agents, chosen by an assignment strategy.
//
// The package is pure: it does no I/O, reads no clock and holds no global state. The desk gives it
// the message, the contact and the candidates; it gives back a Decision or a Candidate.
//
// # Priority
//
// The order is fixed by the product:
//
//  1. Routing rules, in order; the first rule whose condition is satisfied decides (DecidedByRule),
//     and the conversation goes to its Target: a human agent, a team, or an AI agent.
//  2. Otherwise, the channel's enabled AI agent, if any (DecidedByAI).
//  3. Otherwise, the human pool: the channel's agents, chosen by the channel's Strategy
//     (DecidedByPool).
//
// A team target is assigned within the team by the same strategies: the desk builds the candidate
// list from the team's agents.
//
// # Rules as data
//
// Rules are plain values that a host app can store as JSON and let an administrator edit. A rule
// list is a JSON array:
//
//	[
//	  {"name": "Refunds FR",
//	   "when": {"all": [
//	     {"text_contains_any": ["refund", "remboursement"]},
//	     {"country": ["FR", "BE"]},
//	     {"not": {"business_hours": "closed"}}]},
//	   "then": {"team": "billing"}},
//	  {"name": "VIP", "when": {"attribute": {"key": "plan", "equals": "gold"}}, "then": {"agent": "u_42"}},
//	  {"name": "Bot menu", "when": {"button_payload_prefix": "menu:"}, "then": {"ai_agent": "gpt"}}
//	]
//
// A rule is {"name", "when", "then"}, all three required; names are unique. "then" has exactly one
// of "agent" (agent id), "team" (team name) or "ai_agent" (AI agent id).
//
// A condition is a JSON object with exactly one key, its operator:
//
//	{"all": [c, ...]}                     every condition holds (non-empty)
//	{"any": [c, ...]}                     at least one holds (non-empty)
//	{"not": c}                            c does not hold
//	{"text_contains_any": ["w", ...]}     the text contains one of the words or phrases
//	{"text_contains_all": ["w", ...]}     the text contains all of them
//	{"text_starts_with": ["w", ...]}      the text starts with one of them
//	{"text_matches": "regexp"}            Go (RE2) regexp on the raw text; add (?i) for case
//	{"message_type": ["image", ...]}      text, image, audio, video, document, location,
//	                                      button, sticker, contact, unknown
//	{"button_payload": "p"}               the tapped button's payload equals p
//	{"button_payload_prefix": "p"}        ... starts with p
//	{"country": ["FR", ...]}              the contact's ISO 3166-1 alpha-2 country
//	{"phone_prefix": ["+33", ...]}        the contact's E.164 number starts with one of them
//	{"profile_name_contains": ["w", ...]} the WhatsApp profile name contains a word or phrase
//	{"attribute": {"key": "k", "equals": "v"}}     contact attribute k is exactly v
//	{"attribute": {"key": "k", "exists": true}}    attribute k is set
//	{"attribute": {"key": "k", "in": ["a", "b"]}}  attribute k is one of these
//	{"business_hours": "open" | "closed"} the channel is open/closed at the message time
//	{"contact": "new" | "returning"}      first conversation on the channel or not
//	{"channel": ["id", ...]}              the message arrived on one of these channels
//
// Two conditions are never merged into one object: {"country": ["FR"], "contact": "new"} is an
// error, write {"all": [{"country": ["FR"]}, {"contact": "new"}]}. The decoder (DecodeRules, and
// the UnmarshalJSON methods) rejects unknown or repeated fields, wrong value types, empty lists and
// groups, unknown enum values, invalid countries, phone prefixes and regexps, and conditions or
// targets with zero or two operators, with a *RuleError that says where:
//
//	routing: rules[2].when.all[1]: unknown field "text_contain"; did you mean "text_contains_any"?
//
// Encoding a []Rule with encoding/json gives back the same format, so rules round-trip.
//
// # Text matching
//
// The word tests (text_contains_any, text_contains_all, text_starts_with, profile_name_contains)
// compare whole words, ignoring case, Latin and Greek accents, and punctuation:
//
//   - "refund" matches "Refund!" and "my REFUND, please", but not "refunded" or "refunds";
//   - "rembourse" matches "Je veux un REMBOURSÉ" and "remboursé"; "strasse" matches "Straße";
//   - a phrase matches consecutive words: "money back" matches "I want my money back!" but not
//     "money is back";
//   - a trailing "*" makes the last word a prefix: "refund*" matches "refund", "refunds",
//     "refunded"; "*" anywhere else is an error;
//   - text_starts_with tests the first word(s): "stop" matches "STOP!" and "stop please",
//     not "please stop";
//   - an emoji or other symbol is a word of its own: "👍" matches "ok👍🏽".
//
// Accents are removed from Latin and Greek letters only; in other scripts a mark often makes a
// different letter, so they are compared as typed (lower-cased). Scripts written without spaces
// (Chinese, Japanese, Thai) have no word boundaries to find: use text_matches for them.
//
// # Performance
//
// Compile does all parsing: words are folded, regexps compiled, sets built, and the cheap tests of
// each group ordered first. Route folds the text (and the profile name) at most once per call, on
// first use, into stack buffers, with a small Bloom filter of its words so that most word tests
// are two bit tests; a regexp is skipped when the message lacks a literal every match needs
// ("order" in `(?i)order\s*#?\d+`). Routing a message through 50 mixed rules takes about 1.5–3 µs
// on a 2-core machine with no allocation. A regexp that does run costs what Go's regexp costs,
// about 2 µs on a 100-byte message. A Router is immutable and safe for concurrent use.
//
// # Assignment
//
// An Assigner chooses among Candidates; only eligible ones (online and below capacity, Capacity 0
// meaning unlimited) are ever returned. Pick returns the choice in O(n) without allocating; Rank
// returns all eligible candidates in preference order, so the desk can try the next one when its
// atomic claim of the first fails. The strategies:
//
//   - LeastLoaded: lowest Open/Capacity, an unlimited agent counting as if its capacity were the
//     largest finite capacity among the candidates (open counts compare when there is none); ties
//     to the least recently assigned (never assigned first), then the smallest ID.
//   - RoundRobin: in ID order, the first eligible agent after the cursor (the ID of the previous
//     assignee, which may have left the list), wrapping around; load is ignored.
//
// ParseStrategy and Strategy turn the names stored in channel settings, "least_loaded" and
// "round_robin" ("" meaning least_loaded), into an Assigner.
package routing
