package testutil

import (
	"bytes"
	"io"
	"runtime"
	"syscall"
	"testing"

	"github.com/realsynth/realsynth/internal/biblio"
	"github.com/realsynth/realsynth/internal/formats"
)

// BenchReader measures a reader's throughput on input (b.SetBytes: go test
// reports MB/s) and fails the benchmark if the input yields no records.
func BenchReader(b *testing.B, input []byte, newReader func(io.Reader) formats.Reader) {
	b.Helper()
	benchRead(b, input, newReader, false)
}

// BenchIngest measures what ingest pays per file: decoding
// (formats.DecodeExport, with its per-line UTF-8 repair), the reader, and
// biblio.Complete on every record.
func BenchIngest(b *testing.B, input []byte, newReader func(io.Reader) formats.Reader) {
	b.Helper()
	benchRead(b, input, func(r io.Reader) formats.Reader {
		d, err := formats.DecodeExport(r, "")
		if err != nil {
			b.Fatal(err)
		}
		return newReader(d)
	}, true)
}

func benchRead(b *testing.B, input []byte, newReader func(io.Reader) formats.Reader, complete bool) {
	b.Helper()
	b.SetBytes(int64(len(input)))
	b.ReportAllocs()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	mallocs := ms.Mallocs
	b.ResetTimer()
	cpuStart := CPUSeconds()
	records := 0
	for i := 0; i < b.N; i++ {
		rd := newReader(bytes.NewReader(input))
		n := 0
		for {
			rec, err := rd.Next()
			if err == io.EOF {
				break
			}
			if _, ok := formats.AsBadRecord(err); ok {
				continue
			}
			if err != nil {
				b.Fatal(err)
			}
			if complete {
				biblio.Complete(rec)
			}
			n++
		}
		if n == 0 {
			b.Fatal("no records read")
		}
		b.ReportMetric(float64(n), "records/op")
		records += n
	}
	// MB/s is wall time, which other work on a shared machine inflates;
	// MB/cpu-s counts only the CPU this process used (GC included).
	cpu := CPUSeconds() - cpuStart
	b.StopTimer()
	runtime.ReadMemStats(&ms)
	if cpu > 0 {
		b.ReportMetric(float64(len(input))*float64(b.N)/1e6/cpu, "MB/cpu-s")
		b.ReportMetric(cpu*1e9/float64(records), "cpu-ns/record")
	}
	b.ReportMetric(float64(ms.Mallocs-mallocs)/float64(records), "allocs/record")
}

// CPUSeconds is the user and system CPU time this process has used.
func CPUSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Sec+ru.Stime.Sec) + float64(ru.Utime.Usec+ru.Stime.Usec)/1e6
}

// Repeat concatenates body until the result is at least size bytes.
func Repeat(head, body, tail []byte, size int) []byte {
	var buf bytes.Buffer
	buf.Write(head)
	for buf.Len() < size {
		buf.Write(body)
	}
	buf.Write(tail)
	return buf.Bytes()
}
