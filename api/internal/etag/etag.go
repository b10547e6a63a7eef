// Package etag compares entity tags the way HTTP caches send them back.
package etag

import "strings"

// Matches implements If-None-Match's weak comparison: header (a list of tags, or "*") names
// tag, W/ prefixes ignored. An empty header matches nothing.
func Matches(header, tag string) bool {
	if header == "" {
		return false
	}
	for t := range strings.SplitSeq(header, ",") {
		if t = strings.TrimPrefix(strings.TrimSpace(t), "W/"); t == tag || t == "*" {
			return true
		}
	}
	return false
}
