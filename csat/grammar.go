package csat

// The grammar of a rating reply, after tokenizing and folding case and
// accents. A reply is optional fillers, then one or more signals, then
// optional fillers:
//
//	fillers   greetings (hi | bonjour | hola | bom dia ...)
//	          | thanks (thank you | merci bien | muchas gracias | obrigado | 🙏 ...)
//	number    1..5 | one..five | deux..cinq | uno..cinco | dois..cinco
//	fraction  number ("/" | out of | of | sur | de | sobre) 5 [stars | ⭐]
//	stars     number (stars | étoiles | estrellas | estrelas | ⭐)
//	          | ⭐ number | one-article star-word ("une étoile")
//	          | ★★★★☆ (filled stars, then empty ones, at most five)
//	labelled  label (number | fraction | number stars)   (nota 5, note 4/5)
//	word      [intensifier...] rating-word   (very good, très bien, muito bom)
//	emoji     a face from the emoji table
//	agree     an agreeing emoji (👍 ❤️ 👏 ... 👎): no score of its own
//
// Next to thanks, crying faces (😭 😢) are gratitude and are dropped. combine
// then checks that the signals agree, and that fillers surround a signal that
// says a score on its own rather than an emoji or a single star.

// item is a token after vocabulary lookup; a multi-word phrase ("out of",
// "mais ou menos", "thank you") becomes one item.
type item struct {
	kind   tokenKind
	tears  bool // tokFace: a crying face
	side   int8 // tokAgree: +1 or -1 (small fields first: no padding)
	roles  role
	rating int // roleRating
	number int // tokDigit, roleNumber, roleOne
	face   int // tokFace
}

// lexItems looks every word up, preferring the longest phrase. An unknown
// word or a negation rejects the reply.
func lexItems(toks []token, lx lexicon) ([]item, bool) {
	items := make([]item, 0, len(toks))
	for i := 0; i < len(toks); {
		t := toks[i]
		switch t.kind {
		case tokWord:
		case tokDigit:
			items = append(items, item{kind: tokDigit, number: t.value})
			i++
			continue
		case tokFace:
			items = append(items, item{kind: tokFace, face: t.value, tears: t.tears})
			i++
			continue
		case tokAgree:
			items = append(items, item{kind: tokAgree, side: int8(t.value)})
			i++
			continue
		default:
			items = append(items, item{kind: t.kind})
			i++
			continue
		}
		var best *lexEntry
		for k := range lx[t.word] {
			e := &lx[t.word][k]
			if matches(toks[i:], e.words) && (best == nil || len(e.words) > len(best.words)) {
				best = e
			}
		}
		if best == nil || best.roles&roleNegation != 0 {
			return nil, false
		}
		it := item{kind: tokWord, roles: best.roles, rating: best.rating, number: best.number}
		if t.raw == "très" && len(best.words) == 1 {
			// French "très" (very) is not Spanish/Portuguese "tres"/"três" (three).
			it.roles &^= roleNumber
			it.number = 0
		}
		items = append(items, it)
		i += len(best.words)
	}
	return items, true
}

// matches reports whether toks starts with the words of a phrase.
func matches(toks []token, words []string) bool {
	if len(toks) < len(words) {
		return false
	}
	for i, w := range words {
		if toks[i].kind != tokWord || toks[i].word != w {
			return false
		}
	}
	return true
}

// trimPolite drops greetings and thanks at both ends and reports whether the
// reply had any; fillers in the middle stay and make the reply unreadable
// ("5 thanks 4"). In a reply that thanks, crying faces are tears of gratitude,
// not a score ("Thank you so much! 5 😭🙏"): they are dropped wherever they
// are.
func trimPolite(items []item) ([]item, bool) {
	thanks := false
	for _, it := range items {
		if it.kind == tokThanks || it.is(roleThanks) {
			thanks = true
			break
		}
	}
	if thanks {
		kept := items[:0]
		for _, it := range items {
			if !it.tears {
				kept = append(kept, it)
			}
		}
		items = kept
	}
	polite := thanks
	filler := func(it item) bool { return it.kind == tokThanks || it.is(roleGreeting|roleThanks) }
	for len(items) > 0 && filler(items[0]) {
		items, polite = items[1:], true
	}
	for len(items) > 0 && filler(items[len(items)-1]) {
		items, polite = items[:len(items)-1], true
	}
	return items, polite
}

func (it item) is(r role) bool { return it.kind == tokWord && it.roles&r != 0 }

// isNumber reports a digit or a number word ("five", "cinq"), not an article.
func (it item) isNumber() bool { return it.kind == tokDigit || it.is(roleNumber) }

func (it item) isStar() bool { return it.kind == tokStar || it.kind == tokEmptyStar }

// segments splits items into signals following the grammar above.
func segments(items []item) ([]segment, bool) {
	var segs []segment
	for i := 0; i < len(items); {
		var s segment
		var ok bool
		switch it := items[i]; {
		case it.is(roleIntensifier) && i+1 < len(items) && (items[i+1].is(roleRating) || items[i+1].is(roleIntensifier)):
			s, i, ok = intensified(items, i)
		case it.isNumber() || it.is(roleOne):
			s, i, ok = numbered(items, i)
		case it.is(roleLabel) && i+1 < len(items) && (items[i+1].isNumber() || items[i+1].is(roleOne)):
			// "nota 5", "note 4/5", "rating 5 stars": the label only
			// names what follows, which must be built on a number.
			s, i, ok = numbered(items, i+1)
			ok = ok && s.numeric
		case it.isStar():
			s, i, ok = starRun(items, i)
		case it.kind == tokFace:
			s, i, ok = segment{value: it.face, method: MethodEmoji}, i+1, true
		case it.kind == tokAgree:
			s, i, ok = segment{agree: it.side}, i+1, true
		case it.is(roleRating):
			s, i, ok = segment{value: it.rating, method: MethodWord}, i+1, true
		}
		if !ok {
			return nil, false
		}
		segs = append(segs, s)
	}
	return segs, true
}

// intensified reads "very [very] good": an intensifier lifts 4–5 to 5 and
// lowers 1–2 to 1; on a neutral word ("very average") it is unreadable.
func intensified(items []item, i int) (segment, int, bool) {
	for i+1 < len(items) && items[i].is(roleIntensifier) &&
		(items[i+1].is(roleRating) || items[i+1].is(roleIntensifier)) {
		i++
	}
	if !items[i].is(roleRating) {
		return segment{}, i, false
	}
	v := items[i].rating
	switch side(v) {
	case 1:
		v = 5
	case -1:
		v = 1
	default:
		return segment{}, i, false
	}
	return segment{value: v, method: MethodWord}, i + 1, true
}

// numbered reads a segment that starts with a number: "4", "4/5", "4 out of
// 5 stars", "4 stars", "4 ⭐", "five", "une étoile".
func numbered(items []item, i int) (segment, int, bool) {
	it := items[i]
	n := it.number
	article := !it.isNumber() // "un", "une", "uno"...: only before a star word
	method := MethodDigit
	if it.kind == tokWord {
		method = MethodWord
	}
	next := func(k int) item {
		if k < len(items) {
			return items[k]
		}
		return item{}
	}
	k := i + 1
	switch nx := next(k); {
	case !article && (nx.kind == tokSlash || nx.is(roleConnector)):
		d := next(k + 1)
		if !d.isNumber() || d.number != 5 {
			return segment{}, k, false
		}
		k += 2
		if after := next(k); after.is(roleStarWord) || (after.kind == tokStar && !next(k+1).isStar()) {
			k++ // "4 out of 5 stars", "4/5 ⭐"
		}
		return segment{value: n, method: MethodFraction, numeric: true}, k, true
	case nx.is(roleStarWord), nx.kind == tokStar && !next(k+1).isStar():
		return segment{value: n, method: MethodStars, numeric: true}, k + 1, true
	case article:
		return segment{}, k, false
	}
	return segment{value: n, method: method, numeric: true}, k, true
}

// starRun reads star symbols: filled ones first, then optional empty ones, at
// most five in all ("★★★★☆" is 4, "⭐⭐⭐" is 3). A single star next to a
// number is "⭐ 5".
func starRun(items []item, i int) (segment, int, bool) {
	if items[i].kind == tokStar && i+1 < len(items) && items[i+1].isNumber() &&
		(i+2 >= len(items) || !items[i+2].isStar()) && (i == 0 || !items[i-1].isStar()) {
		return segment{value: items[i+1].number, method: MethodStars, numeric: true}, i + 2, true
	}
	filled, empty := 0, 0
	for ; i < len(items) && items[i].isStar(); i++ {
		if items[i].kind == tokEmptyStar {
			empty++
		} else if empty > 0 {
			return segment{}, i, false // "★☆★": not a rating display
		} else {
			filled++
		}
	}
	if filled == 0 || filled+empty > 5 {
		return segment{}, i, false
	}
	return segment{value: filled, method: MethodStars, lone: filled == 1 && empty == 0}, i, true
}
