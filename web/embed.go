// Package web embeds the built React UI (web/dist, produced by `npm run build`) so that the
// nezame binary serves it without any files on disk.
package web

import (
	"embed"
	"io/fs"
)

// dist holds the build output. The tracked dist/.gitkeep keeps the pattern valid on a fresh
// clone before the first npm build; "all:" is needed so that dot-files do not break the match.
//
//go:embed all:dist
var dist embed.FS

// Assets returns the build output rooted at dist/, so index.html is at "index.html" and the
// hashed bundles under "assets/".
func Assets() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		// fs.Sub fails only for an invalid path; "dist" is a constant valid path.
		panic("web: fs.Sub(dist): " + err.Error())
	}
	return sub
}

// Built reports whether the UI was built (dist/index.html exists), so the server can answer
// with a clear message instead of a blank page when `npm run build` has not been run.
func Built() bool {
	_, err := fs.Stat(dist, "dist/index.html")
	return err == nil
}
