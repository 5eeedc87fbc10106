package formatutil

import "strings"

// Two-character tags, as RIS and Web of Science write them: a capital,
// then a capital or a digit ("TY", "A1", "C7"). Readers number them with
// TagCode to index arrays instead of maps, and take their strings from
// TagName, so that no string is made per line.

// NumTags is the number of two-character tags.
const NumTags = 26 * 36

// IsTag reports whether a, b make a two-character tag.
func IsTag(a, b byte) bool { return isUpper(a) && (isUpper(b) || isDigit(b)) }

// TagCode numbers the tag a, b (which IsTag accepts) from 0 ("A0") to
// NumTags-1 ("ZZ").
func TagCode(a, b byte) int {
	n := int(a-'A') * 36
	if isDigit(b) {
		return n + int(b-'0')
	}
	return n + 10 + int(b-'A')
}

// TagName is the tag a, b as a string (one shared string per tag).
func TagName(a, b byte) string { return tagNames[TagCode(a, b)] }

var tagNames = func() (names [NumTags]string) {
	for a := byte('A'); a <= 'Z'; a++ {
		for _, b := range []byte("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") {
			names[TagCode(a, b)] = string([]byte{a, b})
		}
	}
	return names
}()

// TagSet marks the space-separated tags of list.
func TagSet(list string) (set [NumTags]bool) {
	for _, t := range strings.Fields(list) {
		set[TagCode(t[0], t[1])] = true
	}
	return set
}

func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool { return c >= '0' && c <= '9' }
