package routing

import "bytes"

// folded is a folded text (see appendFold) with a summary of its words for quick rejection.
type folded struct {
	b     []byte
	words bloom
}

func fold(buf []byte, s string) folded {
	b := appendFold(buf, s)
	return folded{b: b, words: wordBloom(b)}
}

// bloom is a 256-bit Bloom filter of words, two bits per word. A message holds a few dozen words
// at most, so a pattern word absent from the message is rejected by two bit tests (wrongly kept
// a few percent of the time) instead of a substring search, the bulk of Route's work.
type bloom [4]uint64

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func (bl *bloom) add(h uint64) {
	bl[h>>6&3] |= 1 << (h & 63)
	bl[h>>14&3] |= 1 << (h >> 8 & 63)
}

// covers reports whether every bit of mask is set in bl.
func (bl *bloom) covers(mask *bloom) bool {
	return bl[0]&mask[0] == mask[0] && bl[1]&mask[1] == mask[1] &&
		bl[2]&mask[2] == mask[2] && bl[3]&mask[3] == mask[3]
}

// wordBloom returns the filter of the words of a folded text (words end with a space).
func wordBloom(f []byte) bloom {
	var bl bloom
	h := uint64(fnvOffset)
	for _, c := range f[1:] {
		if c == ' ' {
			bl.add(h)
			h = fnvOffset
			continue
		}
		h = (h ^ uint64(c)) * fnvPrime
	}
	return bl
}

// pattern is a folded word or phrase to search for: " word " for whole words, " word" when the
// last word is a prefix. mask holds the bloom bits of its complete words (all but a prefix last
// word), which the text must contain for the pattern to match.
type pattern struct {
	b    []byte
	mask bloom
}

func newPattern(p []byte, prefix bool) pattern {
	pat := pattern{b: p}
	if prefix {
		p = p[:bytes.LastIndexByte(p, ' ')+1] // drop the unfinished last word
	}
	pat.mask = wordBloom(p)
	return pat
}

// in reports whether the folded text f contains p.
func (p *pattern) in(f *folded) bool {
	return f.words.covers(&p.mask) && containsPattern(f.b, p.b)
}

// startOf reports whether the folded text f starts with p.
func (p *pattern) startOf(f *folded) bool {
	return bytes.HasPrefix(f.b, p.b)
}

// containsPattern reports whether the folded text contains the pattern bytes p. It searches for p
// without its leading space and then checks the byte before: searching for a space first would
// stop at every word of the text, a letter far less often. Folded text starts with a space and
// p[1] is never one, so a hit is never at index 0.
func containsPattern(f, p []byte) bool {
	core := p[1:]
	for i := 0; ; {
		j := bytes.Index(f[i:], core)
		if j < 0 {
			return false
		}
		i += j
		if f[i-1] == ' ' {
			return true
		}
		i++
	}
}

func anyIn(f *folded, pats []pattern) bool {
	for i := range pats {
		if pats[i].in(f) {
			return true
		}
	}
	return false
}
