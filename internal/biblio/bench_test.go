package biblio

import (
	"testing"

	"github.com/realsynth/realsynth/internal/tables"
)

// BenchmarkComplete normalises a typical record (ns/op is per record).
func BenchmarkComplete(b *testing.B) {
	y := int32(2021)
	proto := tables.Record{
		Title:   "Discourses of responsible gambling and gambling harm: observations from Victoria, Australia.",
		Authors: []string{"Francis, Louise", "Livingstone, Charles", "Smith JA", "van der Maas, M"},
		Year:    &y, Date: "2021/06//", Journal: "Addiction Research & Theory", Volume: "29", Issue: "3",
		Pages: "212-22", DOIs: []string{"https://doi.org/10.1080/16066359.2020.1867111"},
		Abstract: "Within a neo-liberal economic orthodoxy, the gambling industry has succeeded in the discursive feat of transforming gambling.",
		Keywords: []string{"SELF-management (Psychology)", "PUBLIC health"}, ISSN: []string{"16066359"},
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		rec := proto
		rec.Authors = append([]string(nil), proto.Authors...)
		rec.DOIs = append([]string(nil), proto.DOIs...)
		rec.Keywords = append([]string(nil), proto.Keywords...)
		rec.ISSN = append([]string(nil), proto.ISSN...)
		Complete(&rec)
	}
}
