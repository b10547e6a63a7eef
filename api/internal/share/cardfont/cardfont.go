// Package cardfont embeds the font that draws the Japanese strings of share cards: a subset of
// IPAGothic holding only their glyphs (README.md says how it is made and licensed).
package cardfont

import _ "embed"

// TTF is the font file (TrueType outlines).
//
//go:embed cardgothic.ttf
var TTF []byte
