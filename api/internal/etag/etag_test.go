package etag

import "testing"

func TestMatches(t *testing.T) {
	const tag = `"0123abcd"`
	for _, tc := range []struct {
		header string
		want   bool
	}{
		{"", false},
		{tag, true},
		{"W/" + tag, true},
		{`"x", ` + tag, true},
		{` "x" ,W/` + tag + ` `, true},
		{"*", true},
		{`"0123"`, false},
		{`0123abcd`, false}, // unquoted is another tag
		{",", false},
	} {
		if got := Matches(tc.header, tag); got != tc.want {
			t.Errorf("Matches(%q) = %v, want %v", tc.header, got, tc.want)
		}
	}
}
