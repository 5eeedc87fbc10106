//go:build !unix

package screening

import "time"

func processCPU() (time.Duration, bool) { return 0, false }
