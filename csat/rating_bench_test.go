package csat

import "testing"

// BenchmarkParseRating measures the parser on the replies the desk sees most:
// a digit, a payload, words with accents, emoji, and a long non-rating message
// (the common case for a contact with a pending survey who writes about
// something else), then a labelled score with thanks and a greeting with a
// smile (read and rejected in full).
func BenchmarkParseRating(b *testing.B) {
	for _, bc := range []struct{ name, text, payload string }{
		{"digit", "5", ""},
		{"payload", "5 – Excellent", "csat:conv_42:5"},
		{"words", "Merci, très bien !", ""},
		{"stars", "⭐️⭐️⭐️⭐️⭐️", ""},
		{"sentence", "Hello, my order #123 still has not arrived", ""},
		{"label", "Nota 5, muito obrigada", ""},
		{"greeting emoji", "Hola 😀", ""},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				ParseRating(bc.text, bc.payload)
			}
		})
	}
}
