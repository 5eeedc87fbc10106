package dedupe

import (
	"strings"
	"unsafe"
)

// Matching keys are built from many small strings and slices: a title, a
// journal's words, five authors with their name parts. Kept as they are,
// a million records are some twenty million small objects, and the garbage
// collector marks every one of them on each cycle while the pairs are
// compared (a quarter of all CPU at a million records). compactKeys copies
// a batch of records' keys into four allocations, so the collector sees a
// few objects per batch instead of twenty per record.

// compactKeys moves the strings and slices of ps's keys into one shared
// allocation per element type. The copies are never appended to (each
// slice's capacity ends at its length) or changed afterwards.
func compactKeys(ps []prepared) {
	var nb, nu, na, ns int
	for i := range ps {
		p := &ps[i]
		nb += len(p.title) + len(p.numbers) + len(p.pmid) + len(p.volume) + len(p.issue) + len(p.page) + len(p.pageEnd)
		for _, list := range [...][]string{p.dois, p.journal, p.issn} {
			ns += len(list)
			for _, s := range list {
				nb += len(s)
			}
		}
		for _, a := range p.authors {
			nb += len(a.family)
		}
		nu += len(p.tokHash) + len(p.authorParts)
		na += len(p.authors)
	}
	text := stringArena{block: make([]byte, 0, nb)} // one block: sized exactly
	str := text.clone
	words := make([]uint32, 0, nu)
	authors := make([]author, 0, na)
	strs := make([]string, 0, ns)
	wordsOf := func(xs []uint32) []uint32 {
		if len(xs) == 0 {
			return nil
		}
		off := len(words)
		words = append(words, xs...)
		return words[off:len(words):len(words)]
	}
	strsOf := func(xs []string) []string {
		if len(xs) == 0 {
			return nil
		}
		off := len(strs)
		for _, s := range xs {
			strs = append(strs, str(s))
		}
		return strs[off:len(strs):len(strs)]
	}
	for i := range ps {
		p := &ps[i]
		p.title, p.numbers, p.pmid = str(p.title), str(p.numbers), str(p.pmid)
		p.volume, p.issue, p.page, p.pageEnd = str(p.volume), str(p.issue), str(p.page), str(p.pageEnd)
		p.dois, p.journal, p.issn = strsOf(p.dois), strsOf(p.journal), strsOf(p.issn)
		p.tokHash, p.authorParts = wordsOf(p.tokHash), wordsOf(p.authorParts)
		if len(p.authors) > 0 {
			off := len(authors)
			for _, a := range p.authors {
				a.family = str(a.family)
				authors = append(authors, a)
			}
			p.authors = authors[off:len(authors):len(authors)]
		}
	}
}

// interner keeps one copy of each string it is given: the databases,
// rounds and rule names that repeat over a million rows, not kept
// pointing into the memory of the chunk they were read from.
type interner map[string]string

func (in interner) intern(s string) string {
	if v, ok := in[s]; ok {
		return v
	}
	s = strings.Clone(s)
	in[s] = s
	return s
}

// stringArena clones strings into shared blocks of at least 64 KB (or one
// block sized beforehand): record ids and matching keys, one small object
// each otherwise.
type stringArena struct{ block []byte }

func (a *stringArena) clone(s string) string {
	if s == "" {
		return ""
	}
	if len(s) > cap(a.block)-len(a.block) {
		a.block = make([]byte, 0, max(64<<10, len(s)))
	}
	off := len(a.block)
	a.block = append(a.block, s...)
	return unsafe.String(&a.block[off], len(s))
}
