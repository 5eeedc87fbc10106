package table

import (
	"fmt"
	"time"
)

// Date is a calendar date without a time of day or a zone: a decision's
// date, a publication date. A Date column is written as Arrow date32 and
// Parquet DATE, so pandas, polars, DuckDB and R read it as a date, not as
// text. The zero Date means "no date" (written as null in an optional column).
//
// The standard library has no such type, and the only maintained one
// (cloud.google.com/go/civil) comes inside the Google Cloud client module.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf is the calendar date of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// ParseDate reads an ISO 8601 calendar date, YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("%q is not a date as YYYY-MM-DD", s)
	}
	return DateOf(t), nil
}

// IsZero reports whether d is the zero Date ("no date").
func (d Date) IsZero() bool { return d == Date{} }

// String is the ISO 8601 form, YYYY-MM-DD; "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// Time is midnight UTC at the start of d.
func (d Date) Time() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }

// Before reports whether d is earlier than e.
func (d Date) Before(e Date) bool { return d.Time().Before(e.Time()) }

const secondsPerDay = 24 * 60 * 60

// days is the number of days since 1970-01-01, the value Arrow's date32 holds.
func (d Date) days() int32 {
	return int32(floorDiv(d.Time().Unix(), secondsPerDay))
}

func dateFromDays(n int32) Date {
	return DateOf(time.Unix(int64(n)*secondsPerDay, 0).UTC())
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}
