package dedupe

// boundedLevenshtein is the edit distance of a and b (bytes), or max+1 when
// it exceeds max.
//
// It is Myers' bit-parallel algorithm in Hyyrö's form for patterns longer
// than a machine word (G. Myers, "A fast bit-vector algorithm for
// approximate string matching based on dynamic programming", J. ACM 1999;
// H. Hyyrö, "A bit-vector algorithm for computing Levenshtein and
// Damerau edit distances", 2003): each column of the dynamic programming
// table is held as vertical +1/−1 deltas, 64 rows to a word, so a 110-byte
// title against another costs about 220 word steps instead of the 7,000
// cells of a banded table. The distance is exact (TestBitParallelLevenshtein
// checks it against the table); max only shortens the work when the
// lengths alone exceed it.
func boundedLevenshtein(a, b string, max int) int {
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(b)-len(a) > max {
		return max + 1
	}
	if len(a) == 0 {
		return len(b)
	}
	var d int
	switch {
	case len(a) <= 64:
		d = levenshtein64(a, b)
	case len(a) <= 128:
		d = levenshtein128(a, b)
	default:
		d = levenshteinBlocks(a, b)
	}
	if d > max {
		return max + 1
	}
	return d
}

// levenshtein64 is the one-word case: a (the pattern) has at most 64 bytes.
func levenshtein64(a, b string) int {
	// masks[index[c]]: the rows of a holding byte c; slot 0 is every byte
	// absent from a. Only a's distinct bytes get a slot, so the tables
	// cleared per call are small.
	var index [256]uint8
	var masks [65]uint64
	slots := uint8(1)
	for i := 0; i < len(a); i++ {
		c := a[i]
		if index[c] == 0 {
			index[c] = slots
			slots++
		}
		masks[index[c]] |= 1 << uint(i)
	}
	high := uint64(1) << uint(len(a)-1)
	pv, mv := ^uint64(0), uint64(0)
	score := len(a)
	for j := 0; j < len(b); j++ {
		eq := masks[index[b[j]]]
		xv := eq | mv
		xh := (((eq & pv) + pv) ^ pv) | eq
		ph := mv | ^(xh | pv)
		mh := pv & xh
		if ph&high != 0 {
			score++
		} else if mh&high != 0 {
			score--
		}
		// Row 0 of the table is 0, 1, 2, …: its horizontal delta is +1.
		ph = ph<<1 | 1
		mh <<= 1
		pv = mh | ^(xv | ph)
		mv = ph & xv
	}
	return score
}

// levenshtein128 is the two-word case (most titles): levenshteinBlocks
// with its two blocks in registers.
func levenshtein128(a, b string) int {
	var index [256]uint8
	var lo, hi [129]uint64 // masks of rows 0–63 and 64–127; slot 0: bytes absent from a
	slots := uint8(1)
	for i := 0; i < len(a); i++ {
		c := a[i]
		if index[c] == 0 {
			index[c] = slots
			slots++
		}
		if i < 64 {
			lo[index[c]] |= 1 << uint(i)
		} else {
			hi[index[c]] |= 1 << uint(i-64)
		}
	}
	last := uint64(1) << uint(len(a)-65)
	pv0, mv0, pv1, mv1 := ^uint64(0), uint64(0), ^uint64(0), uint64(0)
	score := len(a)
	for j := 0; j < len(b); j++ {
		s := index[b[j]]
		// Block 0: rows 0–63, row 0's horizontal delta +1 coming in.
		eq := lo[s]
		xv := eq | mv0
		xh := (((eq & pv0) + pv0) ^ pv0) | eq
		ph := mv0 | ^(xh | pv0)
		mh := pv0 & xh
		hin := int((ph >> 63) & 1)
		hin -= int((mh >> 63) & 1)
		ph = ph<<1 | 1
		mh <<= 1
		pv0 = mh | ^(xv | ph)
		mv0 = ph & xv
		// Block 1: rows 64–127, block 0's delta coming in.
		eq = hi[s]
		xv = eq | mv1
		if hin < 0 {
			eq |= 1
		}
		xh = (((eq & pv1) + pv1) ^ pv1) | eq
		ph = mv1 | ^(xh | pv1)
		mh = pv1 & xh
		if ph&last != 0 {
			score++
		} else if mh&last != 0 {
			score--
		}
		ph <<= 1
		mh <<= 1
		if hin < 0 {
			mh |= 1
		} else if hin > 0 {
			ph |= 1
		}
		pv1 = mh | ^(xv | ph)
		mv1 = ph & xv
	}
	return score
}

// levenshteinBlocks is the multi-word case: the pattern a is cut into
// blocks of 64 rows, and each column's horizontal delta is carried from
// one block into the next (Myers' advance_block).
func levenshteinBlocks(a, b string) int {
	m := len(a)
	nb := (m + 63) / 64
	// table[index[c]*nb+k]: the rows of block k where a holds byte c; slot
	// 0 is every byte absent from a.
	var index [256]uint16
	var small [96]uint64
	table := small[:]
	if need := nb * min(m+1, 257); need > len(table) {
		table = make([]uint64, need)
	}
	slots := 1
	for i := 0; i < m; i++ {
		c := a[i]
		if index[c] == 0 {
			index[c] = uint16(slots)
			slots++
			if slots*nb > len(table) {
				grown := make([]uint64, nb*min(m+1, 257))
				copy(grown, table)
				table = grown
			}
		}
		table[int(index[c])*nb+i/64] |= 1 << uint(i%64)
	}
	var pvmv [16]uint64
	var pv, mv []uint64
	if nb <= 8 {
		pv, mv = pvmv[:nb], pvmv[8:8+nb]
	} else {
		pv, mv = make([]uint64, nb), make([]uint64, nb)
	}
	for k := range pv {
		pv[k] = ^uint64(0)
	}
	last := uint64(1) << uint((m-1)%64)
	score := m
	for j := 0; j < len(b); j++ {
		at := int(index[b[j]]) * nb
		eqs := table[at : at+nb]
		hin := 1 // row 0's horizontal delta
		for k := 0; k < nb; k++ {
			eq, p, n := eqs[k], pv[k], mv[k]
			xv := eq | n
			if hin < 0 {
				eq |= 1
			}
			xh := (((eq & p) + p) ^ p) | eq
			ph := n | ^(xh | p)
			mh := p & xh
			top := uint64(1) << 63
			if k == nb-1 {
				top = last
			}
			hout := 0
			if ph&top != 0 {
				hout = 1
			} else if mh&top != 0 {
				hout = -1
			}
			ph <<= 1
			mh <<= 1
			if hin < 0 {
				mh |= 1
			} else if hin > 0 {
				ph |= 1
			}
			pv[k] = mh | ^(xv | ph)
			mv[k] = ph & xv
			hin = hout
		}
		score += hin
	}
	return score
}
