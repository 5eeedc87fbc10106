package testutil

import (
	"bytes"
	"io"
	"syscall"
	"testing"

	"github.com/realsynth/realsynth/internal/formats"
)

// BenchReader measures a reader's throughput on input (b.SetBytes: go test
// reports MB/s) and fails the benchmark if the input yields no records.
func BenchReader(b *testing.B, input []byte, newReader func(io.Reader) formats.Reader) {
	b.Helper()
	b.SetBytes(int64(len(input)))
	b.ReportAllocs()
	b.ResetTimer()
	cpuStart := cpuSeconds()
	for i := 0; i < b.N; i++ {
		rd := newReader(bytes.NewReader(input))
		n := 0
		for {
			_, err := rd.Next()
			if err == io.EOF {
				break
			}
			if _, ok := formats.AsBadRecord(err); ok {
				continue
			}
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n == 0 {
			b.Fatal("no records read")
		}
		b.ReportMetric(float64(n), "records/op")
	}
	// MB/s is wall time, which other work on a shared machine inflates;
	// MB/cpu-s counts only the CPU this process used (GC included).
	if cpu := cpuSeconds() - cpuStart; cpu > 0 {
		b.ReportMetric(float64(len(input))*float64(b.N)/1e6/cpu, "MB/cpu-s")
	}
}

// cpuSeconds is the user and system CPU time this process has used.
func cpuSeconds() float64 {
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
