package csv

import (
	stdcsv "encoding/csv"
	"io"
)

func stdcsvReader(r io.Reader, comma byte) *stdcsv.Reader {
	cr := stdcsv.NewReader(r)
	cr.Comma = rune(comma)
	cr.LazyQuotes = true
	cr.FieldsPerRecord = -1
	return cr
}
