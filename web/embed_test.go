package web

import (
	"io/fs"
	"testing"
)

func TestAssetsAreRootedAtDist(t *testing.T) {
	t.Parallel()
	assets := Assets()
	tests := []struct {
		name    string
		path    string
		present bool
	}{
		{name: "placeholder at the root", path: ".gitkeep", present: true},
		{name: "no dist prefix", path: "dist/.gitkeep", present: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := fs.Stat(assets, tc.path)
			if got := err == nil; got != tc.present {
				t.Fatalf("Stat(%q): present = %v, want %v (err %v)", tc.path, got, tc.present, err)
			}
		})
	}
}

func TestBuiltMatchesIndexInAssets(t *testing.T) {
	t.Parallel()
	data, err := fs.ReadFile(Assets(), "index.html")
	if Built() != (err == nil) {
		t.Fatalf("Built() = %v but reading index.html gave err %v", Built(), err)
	}
	if Built() && len(data) == 0 {
		t.Fatal("index.html is empty")
	}
}
