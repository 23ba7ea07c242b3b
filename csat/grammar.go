package csat

// The grammar of a rating reply, after tokenizing and folding case and
// accents. A reply is optional fillers, then one or more signals, then
// optional fillers:
//
//	fillers   thanks | thank you | merci | gracias | obrigado | hi | 🙏 ...
//	number    1..5 | one..five | un..cinq | uno..cinco | um..cinco
//	fraction  number ("/" | out of | of | sur | de | sobre) 5 [stars | ⭐]
//	stars     number (stars | étoiles | estrellas | estrelas | ⭐)
//	          | ⭐ number | one-article star-word ("une étoile")
//	          | ★★★★☆ (filled stars, then empty ones, at most five)
//	word      [intensifier...] rating-word   (very good, très bien, muito bom)
//	emoji     a face from the emoji table
//
// combine then checks that the signals agree.

// item is a token after vocabulary lookup; a multi-word phrase ("out of",
// "mais ou menos", "thank you") becomes one item.
type item struct {
	kind   tokenKind
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
			items = append(items, item{kind: tokFace, face: t.value})
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

// trimFillers drops polite words at both ends; fillers in the middle stay and
// make the reply unreadable ("5 thanks 4").
func trimFillers(items []item) []item {
	filler := func(it item) bool { return it.kind == tokThanks || it.roles&roleFiller != 0 }
	for len(items) > 0 && filler(items[0]) {
		items = items[1:]
	}
	for len(items) > 0 && filler(items[len(items)-1]) {
		items = items[:len(items)-1]
	}
	return items
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
		case it.isStar():
			s, i, ok = starRun(items, i)
		case it.kind == tokFace:
			s, i, ok = segment{value: it.face, method: MethodEmoji}, i+1, true
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
	return segment{value: filled, method: MethodStars}, i, true
}
