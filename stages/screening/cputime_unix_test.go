//go:build unix

package screening

import (
	"syscall"
	"time"
)

// processCPU is the user + system CPU time the test process has used: a
// benchmark figure that other processes competing for the CPU do not inflate.
func processCPU() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
