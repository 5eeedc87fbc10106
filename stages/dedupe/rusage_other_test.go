//go:build !unix

package dedupe

func cpuSeconds() float64 { return 0 }
func maxRSSKiB() int64    { return 0 }
