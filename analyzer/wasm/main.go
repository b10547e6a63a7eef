//go:build js && wasm

// Command wasm is the analyzer compiled to WebAssembly for the browser's archive import: post
// times go in, the same Analysis JSON that POST /api/analyze answers comes out, and the times
// never leave the device. It registers one object on the JavaScript global scope (see
// register) and then waits for calls; web/src/features/archive/analyzer.ts loads it in the
// archive worker.
//
//	GOOS=js GOARCH=wasm go build -trimpath -ldflags "-s -w" -o analyzer.wasm ./analyzer/wasm
//
// time/tzdata is compiled in because a browser has no zoneinfo files: every IANA zone the
// server knows must work here too.
package main

import (
	"syscall/js"
	_ "time/tzdata"
)

func main() {
	register(js.Global())
	// Block forever without spinning: the JavaScript side calls in through the registered
	// functions, and the Go runtime yields to the event loop while main waits.
	<-make(chan struct{})
}
