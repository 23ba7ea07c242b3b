// Package csat is the customer-satisfaction part of the desk: the per-channel
// survey configuration, the parser that reads a customer's WhatsApp reply as a
// 1–5 rating, and the arithmetic of CSAT reports.
//
// The package is pure: no I/O, no clock (times are parameters), no global
// state. The desk sends the survey when a conversation is resolved, stores the
// answers and feeds them back here for reports.
//
// # Configuration
//
// [Config] is one channel's setting, stored as JSON with snake_case keys:
//
//	{"enabled": true, "list_content_sid": "HX…", "template_content_sid": "HX…",
//	 "comment_request": "Anything to add?", "lifetime": "24h", "trigger": "after_reply"}
//
// Empty fields mean defaults ([Config.WithDefaults]): the English
// [DefaultSurveyText] asking for 1 (very bad) to 5 (excellent),
// [DefaultThankYouText], a 24-hour lifetime and [TriggerAlways].
// [Config.Validate] reports every problem at once. [Config.ShouldSurvey],
// [Config.Survey] and [Config.ExpiresAt] answer the desk's questions: survey
// this conversation? send what (interactive list inside the WhatsApp 24-hour
// window, approved template outside it, plain text as a last resort)? until
// when is an answer accepted?
//
// Interactive surveys carry machine-readable ids: item or button n of survey s
// has id [Payload](s, n) = "csat:s:n". In a Twilio Content template the survey
// id is variable {{1}}, so the ids are "csat:{{1}}:1" … "csat:{{1}}:5" and
// the desk sends {"1": surveyID} as content variables.
//
// # Reading replies
//
// [ParseRating] takes the reply's text and, for a tap, its payload. A payload
// decides alone. Text is read with a closed grammar (see grammar.go) over a
// closed vocabulary, after lower-casing and removing accents:
//
//   - digits 1–5, alone or with punctuation, keycaps or WhatsApp bold: "5",
//     "5!", "5️⃣", "*4*";
//   - fractions over 5: "4/5", "4 / 5", "4 out of 5", "4 sur 5", "4 de 5",
//     "4 sobre 5", optionally followed by "stars";
//   - stars: "5 stars", "5 étoiles", "5 estrellas", "5 estrelas", "une étoile",
//     "5 ⭐", "⭐ 5", and star displays "★★★★☆" or "⭐⭐⭐" (filled stars count);
//   - number words in the four languages ("five", "cinq", "cinco", "quatro",
//     "uno"); the articles "un", "una", "um" count only before a star word;
//   - a label before any of these: "nota 5", "Nota: 4/5", "note 5 sur 5",
//     "calificación 5", "puntuación 4", "avaliação 4", "rating: 5 stars";
//   - quality words in English, French, Spanish and Portuguese ("excellent",
//     "good", "bad", "terrible", "très bien", "mauvais", "nul", "muy bueno",
//     "malo", "pésimo", "ótimo", "bom", "ruim", "péssimo"...), where an
//     intensifier (very, really, so, très, vraiment, muy, muito, super) lifts a
//     good word to 5 and a bad word to 1;
//   - emoji faces, from this table (variation selectors and skin tones are
//     ignored; emoji that are neither faces nor agreeing emoji are not
//     understood).
//
// The emoji table:
//
//	1  😡 😠 🤬 😞 😭 😫 😩 🤮   angry, disgusted, despairing
//	2  😕 🙁 ☹ 😟 😒 😔 😢       unhappy, disappointed
//	3  😐 😑 😶                 neutral
//	4  🙂 😊 ☺                  smiling
//	5  😍 🤩 😁 😃 😀 😄 🥰 😻   delighted
//
// Several signals are accepted when they agree: "5 - Excellent" (the list
// title echoed), "5 ⭐⭐⭐⭐⭐"; a face next to a number, stars or a word only
// has to point the same way ("5 😊"). Agreeing emoji carry no score of their
// own and are never a rating alone ("👍" acknowledges a message), but may sit
// beside a number, stars or a word on their side: 👍 👌 👏 🙌 💪 💯 ✨ 🎉 ✅
// and hearts (❤ ♥ 🧡 💛 💚 💙 💜 🩷 💖 💗 💕) beside a 4 or 5 ("5 👍",
// "⭐⭐⭐⭐⭐ ❤️"), 👎 beside a 1 or 2. They need more than a face: "😊 👍" is not
// a rating.
//
// Greetings and thanks may surround a score, never stand in for one: "5,
// thanks!", "Bom dia, nota 5", "Merci, très bien", "muchas gracias 5" and
// "5 🙏" are ratings, but a greeting or thanks with only faces or a single
// star left ("Hi 😊", "Hola 😀", "Merci 🌟", "Thank you ⭐", "Thanks 👍") is a
// message, the emoji going with the greeting. Fixed phrases are read whole,
// as thanks or greetings, never as quality words: "merci bien", "muchas
// gracias", "muito obrigado", "good morning", "bom dia", "buenos días". Next
// to thanks, 😭 and 😢 are tears of gratitude, not a score ("Thank you so
// much! 5 😭🙏" is a 5). Without a greeting or thanks, a lone face or star is
// still read ("😊" is 4, "⭐" is 1).
//
// Anything else is rejected, never guessed: unknown words ("5 minutes late",
// "excellent service"), so a rating that comes with a request ("5, can you
// call me?", "nota 5 mas preciso de ajuda") is always a message; two numbers or
// a choice ("2 3", "1 or 2", "4.5"), numbers off the 1–5 scale ("0", "6",
// "10/10", "nota 10", "4/10", "-1"), negations in any of the four languages
// ("not good", "pas mal", "no muy bueno", "não foi bom"), disagreeing signals
// ("4 excellent", "1 😍", "3 👍"), acknowledgements ("ok", "👍"), and messages
// over 128 bytes or 16 tokens. A rejected reply is an ordinary message for the
// desk. "10/10" is rejected rather than mapped to 5 because a customer who
// writes another scale may not mean its top.
//
// A question mark ("?" or "¿") anywhere rejects the reply: "5?", "good?",
// "¿Excelente?" are a customer checking what to answer or asking something,
// and a question deserves an agent, not a thank-you for a score.
//
// # Reports
//
// A [Tally] counts surveys sent and answers per score; its methods give the
// average, the response rate, the CSAT score (share of 4 and 5 among answers)
// and the distribution. Tallies merge, so partial results combine.
//
// A [ReportBuilder] is fed [Entry] records one at a time (a store can stream
// them) and returns a [Report]: the total, and tallies per human agent, per AI
// agent, per channel and per calendar period (day, ISO week starting Monday,
// or month) in a given time zone, daylight-saving changes included. A
// [Filter] selects a channel, an agent and a half-open time range [From, To)
// on the survey's send time. Building a report over a million entries takes
// 60–90 ms on a shared 2-core machine, against a budget of 200 ms
// (BenchmarkReport1M: go test -run '^$' -bench Report1M -benchmem ./csat/).
//
// A store that can aggregate natively (SQL GROUP BY) may offer that as an
// optional capability, for instance a method returning a [Report] for a
// [Filter], [Period] and location, which the desk would find by type assertion
// and fall back from by streaming entries into a ReportBuilder. Such a store
// can fill [Tally] fields directly. This package defines no such interface:
// the desk owns it.
package csat
