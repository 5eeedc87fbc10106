package dedupe

import (
	"cmp"
	"context"
	"math/bits"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/realsynth/realsynth/internal/tables"
	"github.com/realsynth/realsynth/pipeline/table"
)

// options are the engine's settings, taken from Params and the decisions CSV.
type options struct {
	mergePreprints bool
	maxBlock       int
	// decisions maps an ordered pair of record ids to the team's decision.
	decisions map[[2]string]humanDecision
	// roundIndex orders round ids (config order); unknown rounds sort last.
	roundIndex func(string) int
	// prev is each record's work and fingerprint in the previous
	// committed output; nil in a first run.
	//
	// prev and prevPairs are large in an update run (a million records,
	// a million pairs: ~300 MB) and read early, so the engine drops its
	// copies after their last use (newEngine, carriedPairs), and so does
	// deduplicateFrom: held to the end of the stage, they kept an update
	// run's heap at its limit, collecting almost all the time.
	prev map[string]prevState
	// prevWorks are the previous committed works, by id.
	prevWorks map[string]previousWork
	// prevPairs are the previous duplicate_pairs rows, as pair results;
	// nil when there are none to read (a first run, or an output from
	// before the table).
	prevPairs []previousPair
	// incremental: in an update run, compare only pairs with a fresh
	// record and carry the rows of the others (see update.go).
	incremental bool
	// sizeHint is the number of records when known, to size the engine's
	// arrays once.
	sizeHint int
	// spill holds the works and duplicate_pairs tables the engine writes
	// chunk by chunk (the run's; nil: in memory).
	spill *table.Spill
}

// pairResult is one compared candidate pair worth keeping.
type pairResult struct {
	i, j  uint32 // indices into the sorted records, i < j
	ev    evidence
	v     verdict
	note  string
	human bool
	// refused is set when clustering would not join the pair's clusters: the
	// verdict is then review, and note says why.
	refused bool
	// carried: the pair of two stable records, rebuilt from the previous
	// duplicate_pairs row (update.go), not compared in this run.
	carried bool
}

// engine holds one de-duplication: the records sorted by id, their keys,
// the kept pair results and the clusters.
type engine struct {
	ctx  context.Context
	opt  options
	src  recordSource // read twice: for the matching keys, and for the outputs' fields
	info []recordInfo // by engine index (record id order)
	pos  []int32      // pos[i] is the table position of record i
	prep []prepared
	// Per record, kept after the matching keys are freed: report kind,
	// round position in the config, work in the previous output.
	kind     []reportKind
	round    []int32
	prevWork []string
	// Update runs (update.go): whether this is one (there was a previous
	// output), each record's fingerprint, whether it is unchanged since the
	// previous output (stable), and whether this run compares only pairs
	// with a fresh record.
	update      bool
	fingerprint []uint64
	stable      []bool
	incremental bool
	carried     int // pairs carried from the previous output
	index       map[string]int
	pairs       []pairResult
	stats       compareStats
	timing      stageTiming
	// parent is the union-find forest; members lists each root's records.
	parent  []int
	members [][]int
	// human decisions by packed index pair.
	human map[uint64]humanDecision
}

func pack(i, j int) uint64 {
	if i > j {
		i, j = j, i
	}
	return uint64(i)<<32 | uint64(j)
}

// recordColumns are the columns of records the engine reads to match
// them; outputColumns those the output tables copy (works' canonical
// fields, the review queue), read again once the works are known.
var (
	recordColumns = []string{
		"record_id", "round", "database", "source_file", "source_line", "source_key", "format", "type",
		"title", "authors", "authors_normalised", "year", "journal", "journal_abbrev", "volume", "issue",
		"pages", "page_start", "page_end", "article_number", "doi", "dois", "pmid", "issn", "abstract",
		"publication_type", "language",
	}
	outputColumns = []string{"title", "authors", "year", "journal", "volume", "issue", "pages", "doi", "pmid", "abstract"}
)

// recordInfo is what the engine keeps of a record besides its matching
// keys: the record is not kept (at a million records, with abstracts,
// that is gigabytes); what the output tables copy from it is read again
// from the source at the end (readOutputFields).
type recordInfo struct {
	id       string
	round    string // one string per distinct round (interned)
	database string // interned too
	complete uint8  // completeness: the most complete member is a work's canonical record
	// filled has a bit per output field (see outputField) the record has:
	// which member each of a work's fields comes from is known before
	// the fields are read.
	filled uint16
}

// newEngine reads the records chunk by chunk and builds each one's
// matching keys as it goes, on every CPU; then puts them in record id
// order, which everything downstream follows, so input order never
// matters.
func newEngine(ctx context.Context, src recordSource, opt options) (*engine, error) {
	if opt.maxBlock <= 0 {
		opt.maxBlock = 64
	}
	if opt.roundIndex == nil {
		opt.roundIndex = func(string) int { return 0 }
	}
	e := &engine{ctx: ctx, opt: opt, src: src}
	n := opt.sizeHint
	e.info = make([]recordInfo, 0, n)
	e.prep = make([]prepared, 0, n)
	e.fingerprint = make([]uint64, 0, n)
	ties := make([]placeTie, 0, n)
	intern := interner{}.intern
	var ids stringArena
	err := src(recordColumns, func(start int, rows []tables.Record) error {
		base := len(e.info)
		for k := range rows {
			r := &rows[k]
			filled := filledFields(r)
			e.info = append(e.info, recordInfo{id: ids.clone(r.RecordID), round: intern(r.Round), database: intern(r.Database),
				complete: uint8(bits.OnesCount16(filled)), filled: filled})
			ties = append(ties, placeTie{file: intern(r.SourceFile), line: r.SourceLine})
		}
		e.prep = slices.Grow(e.prep, len(rows))[:base+len(rows)]
		e.fingerprint = slices.Grow(e.fingerprint, len(rows))[:base+len(rows)]
		prep, fp := e.prep[base:], e.fingerprint[base:]
		parallelChunks(ctx, len(rows), 512, func(lo, hi int) {
			for k := lo; k < hi; k++ {
				prep[k] = prepare(&rows[k], opt.mergePreprints)
				fp[k] = matchFingerprint(&rows[k])
			}
			compactKeys(prep[lo:hi])
		})
		return ctx.Err()
	})
	if err != nil {
		return nil, err
	}
	e.pos = sortedByRecordID(e.info, ties, e.fingerprint)
	ties = nil
	permute(e.pos, e.info)
	permute(e.pos, e.prep)
	permute(e.pos, e.fingerprint)
	e.kind = make([]reportKind, len(e.info))
	e.round = make([]int32, len(e.info))
	e.prevWork = make([]string, len(e.info))
	e.stable = make([]bool, len(e.info))
	for i := range e.info {
		e.kind[i] = e.prep[i].kind
		e.round[i] = int32(opt.roundIndex(e.info[i].round))
	}
	if opt.prev != nil {
		e.update = true
		// A million lookups by id: on every CPU, once for both answers.
		parallel(ctx, len(e.info), func(lo, hi int) {
			for i := lo; i < hi; i++ {
				p, ok := opt.prev[e.info[i].id]
				e.prevWork[i] = p.work
				e.stable[i] = ok && p.fingerprint == e.fingerprint[i]
			}
		})
		e.opt.prev = nil // its last use
	}
	return e, nil
}

// permute reorders xs so that xs[i] is the old xs[order[i]], in place, by
// following the permutation's cycles: no second copy of a wide slice.
func permute[T any](order []int32, xs []T) {
	done := make([]bool, len(order))
	for start := range order {
		if done[start] || int(order[start]) == start {
			continue
		}
		tmp := xs[start]
		j := start
		for {
			done[j] = true
			next := int(order[j])
			if next == start {
				xs[j] = tmp
				break
			}
			xs[j] = xs[next]
			j = next
		}
	}
}

// parallel runs fn over [0,n) in chunks of 2048 items on every CPU.
func parallel(ctx context.Context, n int, fn func(lo, hi int)) { parallelChunks(ctx, n, 2048, fn) }

// parallelTasks runs fn once per item on every CPU: for a few large tasks
// (chunks of records, buckets of keys).
func parallelTasks(ctx context.Context, n int, fn func(i int)) {
	parallelChunks(ctx, n, 1, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			fn(i)
		}
	})
}

// parallelChunks hands out chunks of [0,n) to one worker per CPU. Once ctx
// is cancelled no further chunk starts, so a cancelled run stops within a
// chunk's time (milliseconds); the caller checks ctx.Err() afterwards,
// since the work is then incomplete.
func parallelChunks(ctx context.Context, n, chunk int, fn func(lo, hi int)) {
	workers := runtime.GOMAXPROCS(0)
	if n <= chunk || workers == 1 {
		for lo := 0; lo < n && ctx.Err() == nil; lo += chunk {
			fn(lo, min(lo+chunk, n))
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				lo := int(next.Add(int64(chunk))) - chunk
				if lo >= n {
					return
				}
				fn(lo, min(lo+chunk, n))
			}
		}()
	}
	wg.Wait()
}

// humanPairs maps the decisions CSV onto record indices; pairs naming a
// record not in this run are returned for a warning.
func (e *engine) humanPairs() (unknown [][2]string) {
	e.human = map[uint64]humanDecision{}
	if len(e.opt.decisions) == 0 {
		return nil
	}
	index := e.recordIndex()
	for pair, d := range e.opt.decisions {
		i, ok1 := index[pair[0]]
		j, ok2 := index[pair[1]]
		if !ok1 || !ok2 || i == j {
			unknown = append(unknown, pair)
			continue
		}
		e.human[pack(i, j)] = d
	}
	slices.SortFunc(unknown, func(a, b [2]string) int {
		return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1]))
	})
	return unknown
}

// comparePairs compares every candidate pair that is not plainly
// different (and every pair a human decided) and keeps those worth a row.
//
// In an incremental update run only pairs with a fresh record are
// compared; the pairs of two stable records are carried (update.go).
func (e *engine) comparePairs() {
	var active []bool
	if e.incremental {
		active = make([]bool, len(e.stable))
		for i, s := range e.stable {
			active[i] = !s
		}
	}
	// Plainly different pairs are counted and dropped, unless a human
	// decided them; what remains is in (i, j) order.
	cands, plain, prefilter := candidatePairs(e.ctx, e.prep, e.opt.maxBlock, active, func(k uint64) bool {
		_, decided := e.human[k]
		return !decided
	})
	for n, k := range cands {
		cands[n] = k &^ plainBit // only pairs a human decided are left with it
	}
	if len(e.human) > 0 {
		for k := range e.human {
			cands = append(cands, k)
		}
		slices.Sort(cands)
		cands = slices.Compact(cands)
	}

	const chunk = 4096
	nChunks := (len(cands) + chunk - 1) / chunk
	results := make([][]pairResult, nChunks)
	tallies := make([]ruleTally, nChunks)
	// Each chunk's kept pairs are collected in a reused scratch slice and
	// copied out at their exact size: at a million records, growing a
	// slice per chunk allocated twice what was kept, and each collection
	// of the garbage rescans the whole matching-key heap.
	var scratch sync.Pool
	parallelTasks(e.ctx, nChunks, func(c int) {
		kept, _ := scratch.Get().([]pairResult)
		kept = kept[:0]
		tally := newRuleTally()
		for n, k := range cands[c*chunk : min((c+1)*chunk, len(cands))] {
			i, j := int(k>>32), int(k&0xffffffff)
			// One pair in timeSample is timed, for each rule's share of
			// the time (two clock reads: too dear for every pair).
			var start time.Time
			if n%timeSample == 0 {
				start = time.Now()
			}
			r, keep := e.comparePair(i, j)
			tally.count[r.v.rule]++
			if n%timeSample == 0 {
				tally.nanos[r.v.rule] += timeSample * time.Since(start).Nanoseconds()
			}
			if keep {
				kept = append(kept, r)
			}
		}
		results[c] = slices.Clone(kept)
		clear(kept)
		scratch.Put(kept)
		tallies[c] = tally
	})
	e.stats.pairs = int64(len(cands)) + plain
	if plain > 0 {
		tallies = append(tallies, ruleTally{
			count: map[string]int64{plainlyDifferentRule: plain},
			nanos: map[string]int64{plainlyDifferentRule: prefilter},
		})
	}
	for _, t := range tallies {
		e.stats.add(t, &e.timing)
	}
	total := 0
	for _, r := range results {
		total += len(r)
	}
	e.pairs = make([]pairResult, 0, total)
	for c, r := range results {
		e.pairs = append(e.pairs, r...)
		results[c] = nil // collectable before the last chunk is copied
	}
	if e.incremental && e.ctx.Err() == nil {
		carried := e.carriedPairs()
		e.carried = len(carried)
		e.pairs = mergePairs(e.pairs, carried)
	}
	// The last uses of the previous pairs and of the map from record ids.
	e.opt.prevPairs, e.index = nil, nil
}

func (e *engine) comparePair(i, j int) (pairResult, bool) {
	a, b := &e.prep[i], &e.prep[j]
	r := pairResult{i: uint32(i), j: uint32(j)}
	h := e.human[pack(i, j)]
	// compareFields, in steps: a pair that an identifier, year or volume
	// guard ends is not compared further (guardedApart).
	comparePlace(a, b, &r.ev)
	if h == "" {
		if rule, ok := guardedApart(a, b, &r.ev); ok {
			r.v = verdict{distinct, rule}
			return r, false
		}
	}
	if !r.ev.hasTitle {
		compareTitles(a, b, &r.ev)
	}
	comparePeople(a, b, &r.ev)
	if h != "" {
		r.v, r.human = h.verdict(), true
		return r, true
	}
	r.v = decide(a, b, &r.ev, e.opt.mergePreprints)
	// A distinct pair is kept when it is a guard's near miss: titles alike,
	// or an identifier shared.
	keep := r.v.decision != distinct || (r.ev.hasTitle && r.ev.titleScore >= titleClose) || r.ev.doi == agree || r.ev.pmid == agree
	return r, keep
}

// plainlyDifferent is the cheap test most candidate pairs stop at: titles
// sharing under half their words, one not containing the other, and no
// shared identifier. decide would call such a pair distinct and it would
// not be written, so the full comparison is skipped. It runs on every
// candidate pair (tens of millions at a million records): the cheapest
// tests come first, and containment is tried only when every byte pair of
// the shorter title is among the longer one's (bigrams).
func plainlyDifferent(a, b *prepared) bool {
	if a.title == "" || b.title == "" {
		return false
	}
	if a.pmid != "" && a.pmid == b.pmid {
		return false
	}
	if sharesDOI(a, b) {
		return false
	}
	if (a.translated || b.translated || (a.lang != b.lang && a.lang != langUnknown && b.lang != langUnknown)) &&
		a.volume != "" && a.volume == b.volume && a.page != "" && a.page == b.page {
		return false // two translations of one title, printed at one place: see translatedSameItem
	}
	if diceAtLeastHalf(a.tokHash, b.tokHash) {
		return false
	}
	short, long := a, b
	if len(short.title) > len(long.title) {
		short, long = long, short
	}
	if short.bigrams[0]&^long.bigrams[0] != 0 || short.bigrams[1]&^long.bigrams[1] != 0 {
		return true
	}
	return !strings.Contains(long.title, short.title)
}

// diceAtLeastHalf is tokenDice(a, b) >= 0.5, that is 4|A∩B| >= |A|+|B|,
// stopping as soon as the answer is known either way.
func diceAtLeastHalf(a, b []uint32) bool {
	n := len(a) + len(b)
	if len(a) == 0 || len(b) == 0 || 4*min(len(a), len(b)) < n {
		return false
	}
	i, j, common := 0, 0, 0
	for i < len(a) && j < len(b) {
		if 4*(common+min(len(a)-i, len(b)-j)) < n {
			return false
		}
		switch {
		case a[i] == b[j]:
			common++
			if 4*common >= n {
				return true
			}
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return 4*common >= n
}

// placeTie is where a record comes from, to order records of one id.
type placeTie struct {
	file string
	line int64
}

// sortedByRecordID returns the record indexes in record id order, ties
// (a repeated id) broken by round, database, source file and line, then
// the matching fingerprint. Comparing the ids themselves jumps all over a
// million-record slice (8 of the 73 seconds of a 1M run went to cache
// misses), so each index carries the 8 id bytes after the prefix all ids
// share ("rec-"), compared as one big-endian number; only equal heads
// look further.
func sortedByRecordID(info []recordInfo, ties []placeTie, fingerprint []uint64) []int32 {
	shared := 0
	if len(info) > 0 {
		first := info[0].id
		shared = len(first)
		for i := 1; i < len(info) && shared > 0; i++ {
			id := info[i].id
			n := 0
			for n < shared && n < len(id) && id[n] == first[n] {
				n++
			}
			shared = n
		}
	}
	type keyed struct {
		head uint64
		rec  int32
	}
	keys := make([]keyed, len(info))
	for i := range info {
		id := info[i].id
		var head uint64
		for k := 0; k < 8; k++ {
			head <<= 8
			if shared+k < len(id) {
				head |= uint64(id[shared+k])
			}
		}
		keys[i] = keyed{head, int32(i)}
	}
	slices.SortFunc(keys, func(a, b keyed) int {
		if c := cmp.Compare(a.head, b.head); c != 0 {
			return c
		}
		ra, rb := &info[a.rec], &info[b.rec]
		ta, tb := &ties[a.rec], &ties[b.rec]
		return cmp.Or(cmp.Compare(ra.id, rb.id), cmp.Compare(ra.round, rb.round),
			cmp.Compare(ra.database, rb.database), cmp.Compare(ta.file, tb.file), cmp.Compare(ta.line, tb.line),
			cmp.Compare(fingerprint[a.rec], fingerprint[b.rec]))
	})
	pos := make([]int32, len(keys))
	for i, k := range keys {
		pos[i] = k.rec
	}
	return pos
}
