package table

import (
	"bytes"
	"testing"
	"unsafe"
)

// A recycled buffer comes back zeroed and 64-byte aligned, however it was
// left, and grows with zeros.
func TestRecyclingAllocatorZeroes(t *testing.T) {
	a := &recyclingAllocator{}
	seen := map[uintptr]bool{}
	for round := 0; round < 50; round++ {
		b := a.Allocate(1000)
		if len(b) != 1000 || cap(b) != 1024 {
			t.Fatalf("round %d: len %d cap %d, want 1000 and 1024", round, len(b), cap(b))
		}
		if p := uintptr(unsafe.Pointer(&b[0])); p%64 != 0 {
			t.Fatalf("round %d: buffer at %#x is not 64-byte aligned", round, p)
		} else {
			seen[p] = true
		}
		if !bytes.Equal(b, make([]byte, 1000)) {
			t.Fatalf("round %d: a recycled buffer was not cleared", round)
		}
		for i := range b {
			b[i] = 0xAA
		}
		g := a.Reallocate(1020, b[:900]) // shrunk, then grown within its capacity
		if !bytes.Equal(g[:900], bytes.Repeat([]byte{0xAA}, 900)) || !bytes.Equal(g[900:], make([]byte, 120)) {
			t.Fatalf("round %d: Reallocate lost bytes or left old ones in the new part", round)
		}
		a.Free(g)
	}
	if len(seen) == 50 {
		t.Error("no buffer was ever handed out again")
	}
	big := a.Reallocate(5000, a.Allocate(100))
	if len(big) != 5000 || !bytes.Equal(big, make([]byte, 5000)) {
		t.Errorf("a buffer moved to a larger class: len %d, not all zero", len(big))
	}
	if b := a.Allocate(0); b == nil || len(b) != 0 {
		t.Errorf("Allocate(0) = %v, want an empty non-nil slice", b)
	}
}
