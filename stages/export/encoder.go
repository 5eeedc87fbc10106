package export

import (
	"bytes"
	"fmt"
	"io"
	"runtime"
	"slices"

	"github.com/realsynth/realsynth/internal/formats/csv"
	"github.com/realsynth/realsynth/internal/formats/ris"
	"github.com/realsynth/realsynth/internal/tables"
)

// encoder writes rows in a format a batch at a time: RIS record after
// record; CSV with its header once. Batches are encoded on every CPU and
// written in the order given: encoding a million works as RIS (1.4 GB) was
// ten seconds on one core while the other waited.
type encoder struct {
	format string
	begun  bool
	// pending holds the batches being encoded, in order; its capacity
	// bounds how many are in memory at once.
	pending chan *encodedBatch
	// spare holds written batches' buffers to encode into again: a fresh
	// ~10 MB buffer per batch of a million works' RIS was a tenth of the
	// run's page faults (the runtime returns freed memory to the system,
	// and touching it again faults, a slow trap on a virtual machine).
	spare   chan *bytes.Buffer
	written chan error // the writing goroutine's first error, when it ends
	failed  chan struct{}
	err     error
	closed  bool
}

type encodedBatch struct {
	buf   *bytes.Buffer
	err   error
	ready chan struct{}
}

func newEncoder(format string, w io.Writer) *encoder {
	e := &encoder{
		format:  format,
		pending: make(chan *encodedBatch, runtime.GOMAXPROCS(0)+1),
		spare:   make(chan *bytes.Buffer, runtime.GOMAXPROCS(0)+2),
		written: make(chan error, 1),
		failed:  make(chan struct{}),
	}
	go func() {
		var first error
		for b := range e.pending {
			<-b.ready
			if first != nil {
				continue // drained, so that write never blocks
			}
			first = b.err
			if first == nil {
				_, first = w.Write(b.buf.Bytes())
			}
			b.buf.Reset()
			select {
			case e.spare <- b.buf:
			default:
			}
			if first != nil {
				close(e.failed)
			}
		}
		e.written <- first
	}()
	return e
}

// write queues rows to be encoded and written. It keeps a copy of the
// slice, not of the strings and lists in it, which must stay as they are
// (a Scanner's rows may be kept so). An error is the first error of any
// batch so far.
func (e *encoder) write(rows []tables.Record) error {
	if e.closed {
		return fmt.Errorf("export: write after finish")
	}
	select {
	case <-e.failed:
		return e.finish()
	default:
	}
	if len(rows) == 0 && e.begun {
		return nil
	}
	if e.format != "ris" && e.format != "csv" {
		return fmt.Errorf("export format %q is not ris or csv", e.format)
	}
	rows = slices.Clone(rows)
	b := &encodedBatch{buf: e.spareBuffer(), ready: make(chan struct{})}
	header := !e.begun
	e.begun = true
	e.pending <- b
	go func() {
		defer close(b.ready)
		switch e.format {
		case "ris":
			b.err = ris.Write(b.buf, rows)
		case "csv":
			// csv.Write starts every batch with the header row: the
			// file has it once.
			if b.err = csv.Write(b.buf, rows); b.err == nil && !header {
				if i := bytes.IndexByte(b.buf.Bytes(), '\n'); i >= 0 {
					b.buf.Next(i + 1)
				}
			}
		}
	}()
	return nil
}

// spareBuffer is a written batch's buffer, emptied, or a new one.
func (e *encoder) spareBuffer() *bytes.Buffer {
	select {
	case buf := <-e.spare:
		return buf
	default:
		return new(bytes.Buffer)
	}
}

// finish writes what an empty export holds (the CSV header), waits for
// every batch to be written and returns the first error. Calling it again
// returns the same error.
func (e *encoder) finish() error {
	if e.closed {
		return e.err
	}
	if !e.begun {
		if err := e.write(nil); err != nil {
			e.err = err
		}
	}
	e.closed = true
	close(e.pending)
	if err := <-e.written; e.err == nil {
		e.err = err
	}
	return e.err
}
