package table

import (
	"math/bits"
	"sync"

	"github.com/apache/arrow-go/v18/arrow/memory"
)

// recycled is an Arrow allocator whose freed buffers are handed out again,
// for batches built only to be encoded into the spill and released
// (encodeRows): a million records make ~2.6 GB of such columns. With
// memory.GoAllocator each was fresh memory, and a run at its memory limit
// gets fresh memory by faulting in pages the runtime has just returned to
// the system, a slow trap on a virtual machine.
//
// Only for arrays released before anything reads them again: a buffer is
// reused as soon as its array is released, so a string decoded from it
// would change under its reader.
var recycled memory.Allocator = &recyclingAllocator{}

// recyclingAllocator keeps freed buffers by power-of-two capacity (at
// least 64 bytes, so every buffer is 64-byte aligned as Arrow wants).
type recyclingAllocator struct {
	classes [bits.UintSize]sync.Pool // of *[]byte, by log2 capacity
}

func sizeClass(n int) int { return max(6, bits.Len(uint(n-1))) }

func (a *recyclingAllocator) Allocate(size int) []byte {
	if size <= 0 {
		return []byte{}
	}
	c := sizeClass(size)
	if p, _ := a.classes[c].Get().(*[]byte); p != nil {
		b := (*p)[:size]
		clear(b) // builders count on fresh memory being zero, as make's is
		return b
	}
	return make([]byte, size, 1<<c)
}

func (a *recyclingAllocator) Reallocate(size int, b []byte) []byte {
	if size <= cap(b) {
		grown := b[:size]
		if size > len(b) {
			clear(grown[len(b):])
		}
		return grown
	}
	nb := a.Allocate(size)
	copy(nb, b)
	a.Free(b)
	return nb
}

func (a *recyclingAllocator) Free(b []byte) {
	if c := cap(b); c >= 64 && c&(c-1) == 0 {
		b = b[:0]
		a.classes[sizeClass(c)].Put(&b)
	}
}
