package formatutil

import (
	"bytes"
	"io"
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
