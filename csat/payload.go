package csat

import (
	"strconv"
	"strings"
	"unicode"
)

// payloadPrefix starts every survey list item and button id.
const payloadPrefix = "csat:"

// maxPayloadLen is Twilio's limit on a list item or quick-reply id.
const maxPayloadLen = 200

// Payload returns the id to give the list item or button that means score n
// of survey surveyID: "csat:<surveyID>:<n>". Content templates take the
// survey id as variable {{1}}, so their ids are Payload("{{1}}", n) =
// "csat:{{1}}:5", and the desk sends {"1": surveyID} as content variables.
//
// surveyID should be short (Twilio caps ids at 200 characters) and free of
// spaces and control characters; n should be 1..5. Payload does not check:
// ParsePayload rejects what it cannot read back.
func Payload(surveyID string, n int) string {
	return payloadPrefix + surveyID + ":" + strconv.Itoa(n)
}

// ParsePayload reads back an id made by Payload. It reports false for any
// other id, an empty survey id, a score outside 1..5, or an id Twilio could not
// have delivered (over 200 characters, spaces or control characters). The
// survey id is everything between the prefix and the last colon, so it may
// itself contain colons.
func ParsePayload(p string) (surveyID string, n int, ok bool) {
	rest, found := strings.CutPrefix(p, payloadPrefix)
	if !found || len(p) > maxPayloadLen {
		return "", 0, false
	}
	i := strings.LastIndexByte(rest, ':')
	if i <= 0 || len(rest)-i != 2 || rest[i+1] < '1' || rest[i+1] > '5' {
		return "", 0, false
	}
	surveyID = rest[:i]
	if strings.ContainsFunc(surveyID, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r) || r == unicode.ReplacementChar
	}) {
		return "", 0, false
	}
	return surveyID, int(rest[i+1] - '0'), true
}
