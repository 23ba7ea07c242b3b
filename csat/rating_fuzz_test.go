package csat

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParseRating checks the parser's guarantees on any input: no panic, a
// value in 1..5 with a known method when accepted, the zero Rating when
// rejected, a payload deciding alone, and the same answer every time. The seed
// corpus (every table case plus tricky inputs) runs in every `go test`; run
// `go test -fuzz FuzzParseRating ./csat/` to explore further.
func FuzzParseRating(f *testing.F) {
	for _, tc := range ratingCases {
		f.Add(tc.text, tc.payload)
	}
	for _, s := range []string{
		"\x00", "5\x00", "\u0301", "e\u0301toile", "5\u20e3", "\u200d", "🏽", "⭐\u200d⭐", "İ", "ﬁve",
		"５", "٥", "⁵", "½", "4/5/5", "//5", "5//5", "of 5", "out of", "⭐ 5 ⭐", "5 ⭐ ☆", "★★★★★☆",
		strings.Repeat("5 ", 100), strings.Repeat("très ", 30), "very very very good", "super super",
		"csat:a:5", "CSAT:a:5",
		"nota ⭐", "nota nota 5", "🙏😭", "😭🙏5", "👍\u200d", "5 👍🏽👎", "❤\ufe0f\u200d🔥", "¿", "5？", "hi ⭐⭐",
	} {
		f.Add(s, "")
	}
	for _, p := range []string{"csat:", "csat:x:", "csat:x:0", "csat:x:55", "csat: :5", "csat:\x00:5", "csat:a\xff:3", "csat:a:5 "} {
		f.Add("5", p)
	}
	methods := map[Method]bool{MethodPayload: true, MethodDigit: true, MethodFraction: true,
		MethodStars: true, MethodEmoji: true, MethodWord: true}
	f.Fuzz(func(t *testing.T, text, payload string) {
		r, ok := ParseRating(text, payload)
		if !ok {
			if r != (Rating{}) {
				t.Fatalf("ParseRating(%q, %q) = %+v, false: want the zero Rating", text, payload, r)
			}
		} else {
			if r.Value < 1 || r.Value > 5 || !methods[r.Method] {
				t.Fatalf("ParseRating(%q, %q) = %+v: value or method out of range", text, payload, r)
			}
			if len(text) > maxTextBytes && r.Method != MethodPayload {
				t.Fatalf("ParseRating(%q) accepted a %d-byte text", text, len(text))
			}
			if !utf8.ValidString(text) && r.Method != MethodPayload {
				t.Fatalf("ParseRating(%q) accepted invalid UTF-8", text)
			}
		}
		if strings.TrimSpace(payload) != "" {
			_, n, pok := ParsePayload(strings.TrimSpace(payload))
			if pok != ok || (ok && (r.Method != MethodPayload || r.Value != n)) {
				t.Fatalf("ParseRating(%q, %q) = %+v, %v: a payload must decide alone (ParsePayload: %d, %v)", text, payload, r, ok, n, pok)
			}
		}
		if r2, ok2 := ParseRating(text, payload); r2 != r || ok2 != ok {
			t.Fatalf("ParseRating(%q, %q) is not deterministic: %+v/%v then %+v/%v", text, payload, r, ok, r2, ok2)
		}
	})
}
