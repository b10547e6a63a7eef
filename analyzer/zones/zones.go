// Package zones is the list of time zone names nezame accepts, shared by the server and the
// WebAssembly build so that both accept exactly the same names.
//
// Only canonical names are accepted: the zones of tzdata's zone1970.tab and zone.tab, plus UTC,
// from a list embedded in the binary (canonical.txt), so what is accepted does not depend on the
// host's zoneinfo (or, in a browser, on the tzdata compiled in). time.LoadLocation alone would
// also load every alias the zoneinfo happens to resolve (America/./New_York, Asia//Tokyo,
// right/Asia/Tokyo, posixrules, backward links): a zone would have many names, each one more
// cache entry and one more cached analysis on the server, and an archive analysed on a device
// could carry a zone the server then refuses to share.
package zones

import (
	_ "embed"
	"strings"
)

//go:embed canonical.txt
var canonicalList string

// Names returns the accepted zone names, sorted.
func Names() []string {
	var names []string
	for line := range strings.Lines(canonicalList) {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			names = append(names, line)
		}
	}
	return names
}

// Canonical says whether name is on the list. "" is not (callers decide what an absent zone
// means).
func Canonical(name string) bool {
	if name == "" || strings.HasPrefix(name, "#") {
		return false
	}
	for line := range strings.Lines(canonicalList) {
		if strings.TrimSpace(line) == name {
			return true
		}
	}
	return false
}
