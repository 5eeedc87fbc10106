package biblio

import "testing"

func TestPublicationDate(t *testing.T) {
	y2018 := int32(2018)
	cases := []struct {
		raw       string
		year      *int32
		want, pre string
	}{
		{"2019/03/15/", nil, "2019-03-15", PrecisionDay},
		{"2019/03//", nil, "2019-03-01", PrecisionMonth},
		{"2019/03//undefined", nil, "2019-03-01", PrecisionMonth},
		{"2019///", nil, "2019-01-01", PrecisionYear},
		{"2019 Mar 15", nil, "2019-03-15", PrecisionDay},
		{"2019 Mar-Apr", nil, "2019-03-01", PrecisionMonth},
		{"2019 Dec 25-31", nil, "2019-12-25", PrecisionDay},
		{"2019 Spring", nil, "2019-01-01", PrecisionYear},
		{"NOV 9 2019", nil, "2019-11-09", PrecisionDay},
		{"SEP-OCT 2019", nil, "2019-09-01", PrecisionMonth},
		{"SPR 2019", nil, "2019-01-01", PrecisionYear},
		{"2019-03-15", nil, "2019-03-15", PrecisionDay},
		{"15 March 2019", nil, "2019-03-15", PrecisionDay},
		{"September 2020", nil, "2020-09-01", PrecisionMonth},
		{"2019/02/30/", nil, "2019-02-01", PrecisionMonth}, // no 30 February: the month is still right
		{"2019/13/01/", nil, "2019-01-01", PrecisionYear},
		{"Jun", &y2018, "2018-06-01", PrecisionMonth}, // a month without a year: the record's year
		{"", &y2018, "2018-01-01", PrecisionYear},
		{"2020 Jan 5", &y2018, "2020-01-05", PrecisionDay}, // the date's own (epub) year wins
		{"Marseille", nil, "", ""},
		{"", nil, "", ""},
	}
	for _, c := range cases {
		got, pre := PublicationDate(c.raw, c.year)
		if got.String() != c.want || pre != c.pre {
			t.Errorf("PublicationDate(%q) = %s %q, want %s %q", c.raw, got, pre, c.want, c.pre)
		}
	}
}
