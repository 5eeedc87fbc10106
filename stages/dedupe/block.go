package dedupe

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"time"
)

// Blocking: each record emits a few keys; only records sharing a key are
// compared. A key shared by more than maxBlock records (generic titles,
// common surnames in a busy year) is not expanded into all its pairs: its
// records are sorted by title and each is compared with its next few
// neighbours (sorted neighbourhood), so cost stays near-linear.

const (
	prefixKeyLen = 24 // title start/end keys: catch changes at the other end
	window       = 6  // neighbours compared within an oversized block
	// plainBit marks a candidate pair that plainlyDifferent ends.
	plainBit = 1 << 31
)

type keyed struct {
	key uint64
	rec uint32
}

// blockingKeys appends the keys of record i.
func blockingKeys(out []keyed, i int, p *prepared) []keyed {
	add := func(tag byte, parts ...string) {
		h := uint64(14695981039346656037)
		h ^= uint64(tag)
		h *= 1099511628211
		for _, s := range parts {
			for k := 0; k < len(s); k++ {
				h ^= uint64(s[k])
				h *= 1099511628211
			}
			h ^= 0xff
			h *= 1099511628211
		}
		out = append(out, keyed{h, uint32(i)})
	}
	for _, d := range p.dois {
		add('d', d)
	}
	if p.pmid != "" {
		add('p', p.pmid)
	}
	if t := p.title; t != "" {
		add('t', t)
		if len(t) > prefixKeyLen {
			add('s', t[:prefixKeyLen])
			add('e', t[len(t)-prefixKeyLen:])
		}
	}
	if len(p.authors) > 0 && p.hasYear && p.authors[0].family != "" {
		// First author's family name and initial with the year, and with
		// the year before: records one year apart share a key. The initial
		// keeps common surnames from making huge blocks.
		first := p.authors[0]
		fam := first.family + string(rune(first.initial))
		add('a', fam, strconv.Itoa(int(p.year)))
		add('a', fam, strconv.Itoa(int(p.year-1)))
	}
	if p.volume != "" && p.page != "" {
		add('v', p.volume, pageDigits(p.page))
	}
	return out
}

// candidatePairs returns the sorted, unique record pairs (i<j packed as
// i<<32|j) that share at least one blocking key. A pair that is plainly
// different (see plainlyDifferent) carries plainBit: the test is made
// while the block's records are at hand, in cache, rather than later on
// records scattered over the whole table (at a million records that
// later test cost 25 of the stage's 145 CPU seconds, for the 84% of pairs
// it ends). Records are numbered below 1<<31, so the bit is free.
//
// At a million records this is seven million keys and tens of millions of
// pairs, so it runs on every CPU: keys are made per chunk of records, then
// split by the key's top bits into buckets (a key is a hash, so buckets are
// even and a block never spans two); each bucket is sorted and expanded
// into pairs on its own. The pairs are split the same way by their first
// record, so sorting the buckets sorts the whole. The result does not
// depend on the number of CPUs.
//
// prefilter estimates the nanoseconds the plainly-different test took (one
// test in timeSample is timed).
//
// With active set, only pairs with an active record are returned (an
// update run's fresh records), exactly those a run without it returns
// that have one; blocks without an active record are not expanded.
//
// With dropPlain, a plainly different pair for which dropPlain is true is
// counted (plain) and not returned: at a million records 84% of the
// candidate pairs are plainly different, 135 MB the comparisons would
// only skip.
func candidatePairs(ctx context.Context, recs []prepared, maxBlock int, active []bool, dropPlain func(uint64) bool) (pairs []uint64, plain, prefilter int64) {
	const chunk = 8192
	chunkKeys := make([][]keyed, (len(recs)+chunk-1)/chunk)
	parallelTasks(ctx, len(chunkKeys), func(c int) {
		lo, hi := c*chunk, min((c+1)*chunk, len(recs))
		out := make([]keyed, 0, 10*(hi-lo)) // nine keys a record at most but for extra DOIs
		for i := lo; i < hi; i++ {
			out = blockingKeys(out, i, &recs[i])
		}
		chunkKeys[c] = out
	})
	if active != nil {
		keepSharedKeys(ctx, chunkKeys, active)
	}
	const bucketBits = 6
	keyBuckets := scatter(chunkKeys, bucketBits, func(k keyed) int { return int(k.key >> (64 - bucketBits)) })
	chunkKeys = nil

	bucketPairs := make([][]uint64, len(keyBuckets))
	bucketNanos := make([]int64, len(keyBuckets))
	parallelTasks(ctx, len(keyBuckets), func(b int) {
		var block []uint32
		var tested int
		keys := keyBuckets[b]
		slices.SortFunc(keys, func(x, y keyed) int {
			return cmp.Or(cmp.Compare(x.key, y.key), cmp.Compare(x.rec, y.rec))
		})
		var pairs []uint64
		for start, blocks := 0, 0; start < len(keys); blocks++ {
			if blocks%1024 == 0 && ctx.Err() != nil {
				return
			}
			end := start + 1
			for end < len(keys) && keys[end].key == keys[start].key {
				end++
			}
			if end-start > 1 {
				block = block[:0]
				anyActive := active == nil
				for _, k := range keys[start:end] {
					if len(block) == 0 || block[len(block)-1] != k.rec {
						block = append(block, k.rec)
						anyActive = anyActive || active[k.rec]
					}
				}
				if anyActive {
					pairs = appendBlockPairs(pairs, block, recs, maxBlock, active, &tested, &bucketNanos[b])
				}
			}
			start = end
		}
		bucketPairs[b] = pairs
		keyBuckets[b] = nil
	})
	for _, n := range bucketNanos {
		prefilter += n
	}

	// Split pairs by first record into ranges of record indexes, so the
	// sorted ranges laid end to end are sorted.
	shift := 0
	for (len(recs)-1)>>shift >= 1<<bucketBits {
		shift++
	}
	pairBuckets := scatter(bucketPairs, bucketBits, func(p uint64) int { return int(p>>32) >> shift })
	bucketPairs = nil
	plainIn := make([]int64, len(pairBuckets))
	parallelTasks(ctx, len(pairBuckets), func(b int) {
		slices.Sort(pairBuckets[b])
		ps := slices.Compact(pairBuckets[b])
		if dropPlain != nil {
			kept := ps[:0]
			for _, k := range ps {
				if k&plainBit != 0 && dropPlain(k&^plainBit) {
					plainIn[b]++
					continue
				}
				kept = append(kept, k)
			}
			ps = kept
		}
		pairBuckets[b] = ps
	})
	total := 0
	for b, ps := range pairBuckets {
		total += len(ps)
		plain += plainIn[b]
	}
	pairs = make([]uint64, 0, total)
	for _, b := range pairBuckets {
		pairs = append(pairs, b...)
	}
	return pairs, plain, prefilter
}

// keepSharedKeys drops, in place, every key no active record has. An
// update run's blocks without a fresh record are not expanded anyway, so
// their keys (nineteen in twenty at a new round of 50k over a million)
// need not be sorted: the blocks that are expanded keep every record.
func keepSharedKeys(ctx context.Context, chunkKeys [][]keyed, active []bool) {
	fresh := map[uint64]struct{}{}
	for _, keys := range chunkKeys {
		for _, k := range keys {
			if active[k.rec] {
				fresh[k.key] = struct{}{}
			}
		}
	}
	// A bit per hash slot answers most lookups before the map is asked.
	const slotBits = 22
	var slots [1 << slotBits / 64]uint64
	for k := range fresh {
		s := k & (1<<slotBits - 1)
		slots[s/64] |= 1 << (s % 64)
	}
	parallelTasks(ctx, len(chunkKeys), func(c int) {
		kept := chunkKeys[c][:0]
		for _, k := range chunkKeys[c] {
			if s := k.key & (1<<slotBits - 1); slots[s/64]&(1<<(s%64)) == 0 {
				continue
			}
			if _, ok := fresh[k.key]; ok {
				kept = append(kept, k)
			}
		}
		chunkKeys[c] = kept
	})
}

// scatter moves the items of parts, in order, into 1<<bits buckets by
// bucketOf (which must return a value below 1<<bits).
func scatter[T any](parts [][]T, bits int, bucketOf func(T) int) [][]T {
	counts := make([]int, 1<<bits)
	for _, part := range parts {
		for _, x := range part {
			counts[bucketOf(x)]++
		}
	}
	buckets := make([][]T, len(counts))
	for b, n := range counts {
		buckets[b] = make([]T, 0, n)
	}
	for _, part := range parts {
		for _, x := range part {
			b := bucketOf(x)
			buckets[b] = append(buckets[b], x)
		}
	}
	return buckets
}

// appendBlockPairs appends the pairs of one block, each marked when it is
// plainly different. tested counts the tests; one in timeSample is timed
// into nanos.
func appendBlockPairs(pairs []uint64, block []uint32, recs []prepared, maxBlock int, active []bool, tested *int, nanos *int64) []uint64 {
	pack := func(i, j uint32) uint64 {
		if i > j {
			i, j = j, i
		}
		k := uint64(i)<<32 | uint64(j)
		*tested++
		if *tested%timeSample == 0 {
			start := time.Now()
			if plainlyDifferent(&recs[i], &recs[j]) {
				k |= plainBit
			}
			*nanos += timeSample * time.Since(start).Nanoseconds()
			return k
		}
		if plainlyDifferent(&recs[i], &recs[j]) {
			k |= plainBit
		}
		return k
	}
	if len(block) <= maxBlock {
		for x := 0; x < len(block); x++ {
			for y := x + 1; y < len(block); y++ {
				if active == nil || active[block[x]] || active[block[y]] {
					pairs = append(pairs, pack(block[x], block[y]))
				}
			}
		}
		return pairs
	}
	sorted := slices.Clone(block)
	slices.SortFunc(sorted, func(a, b uint32) int {
		if c := compareStrings(recs[a].title, recs[b].title); c != 0 {
			return c
		}
		return int(a) - int(b)
	})
	for x := 0; x < len(sorted); x++ {
		for y := x + 1; y < len(sorted) && y <= x+window; y++ {
			if active == nil || active[sorted[x]] || active[sorted[y]] {
				pairs = append(pairs, pack(sorted[x], sorted[y]))
			}
		}
	}
	return pairs
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
