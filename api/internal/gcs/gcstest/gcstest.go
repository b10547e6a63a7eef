// Package gcstest runs fake-gcs-server in the test process, listening on a loopback port, so
// the gcs client is tested over real HTTP against an independent implementation of the API.
package gcstest

import (
	"io"
	"testing"

	"github.com/fsouza/fake-gcs-server/fakestorage"
)

// Start serves an empty fake Cloud Storage with the given buckets and returns its endpoint
// (for gcs.Options.Endpoint). It stops in t.Cleanup.
func Start(t testing.TB, buckets ...string) string {
	t.Helper()
	srv, err := fakestorage.NewServerWithOptions(fakestorage.Options{
		Scheme: "http", Host: "127.0.0.1", Writer: io.Discard,
	})
	if err != nil {
		t.Fatalf("start fake-gcs-server: %v", err)
	}
	t.Cleanup(srv.Stop)
	for _, b := range buckets {
		srv.CreateBucketWithOpts(fakestorage.CreateBucketOpts{Name: b})
	}
	return srv.URL()
}
