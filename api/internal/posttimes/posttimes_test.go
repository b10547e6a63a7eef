package posttimes

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/nezame/nezame/api/internal/apperr"
	"github.com/nezame/nezame/api/internal/keys"
	"github.com/nezame/nezame/api/internal/redistest"
)

var fetched = time.Date(2026, 11, 20, 1, 2, 3, 4_000_000, time.UTC)

func TestEncodeDecodeRoundTrip(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   Record
		want []int64 // times as decoded: oldest first
	}{
		{"empty", Record{}, []int64{}},
		{"only newest id", Record{NewestID: 1850000000000000000, FetchedAt: fetched}, []int64{}},
		{"one", Record{NewestID: 7, Times: []int64{1_700_000_000_123}}, []int64{1_700_000_000_123}},
		{"sorted", Record{NewestID: 9, Times: []int64{10, 20, 30}}, []int64{10, 20, 30}},
		{"unsorted input", Record{NewestID: 9, Times: []int64{10, 30, 20}}, []int64{10, 20, 30}},
		{"duplicate times", Record{NewestID: 9, Times: []int64{4, 5, 5}}, []int64{4, 5, 5}},
		{"negative time", Record{NewestID: 1, Times: []int64{-5, 3}}, []int64{-5, 3}},
		{"truncated", Record{NewestID: 1, Truncated: true, FetchedAt: fetched, Times: []int64{3}}, []int64{3}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Decode(Encode(tc.in))
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if got.NewestID != tc.in.NewestID || got.Truncated != tc.in.Truncated ||
				!got.FetchedAt.Equal(tc.in.FetchedAt.Truncate(time.Millisecond)) || !slices.Equal(got.Times, tc.want) {
				t.Errorf("round trip = %+v, want %+v with times %v", got, tc.in, tc.want)
			}
		})
	}
}

func TestEncodeIsCompact(t *testing.T) {
	t.Parallel()
	// 3,200 posts a few minutes apart: the heaviest record the API can fill.
	r := Record{NewestID: 1 << 60, FetchedAt: fetched}
	for i := range 3200 {
		r.Times = append(r.Times, 1_780_000_000_000+int64(i)*600_123)
	}
	if n := len(Encode(r)); n > 3*3200+40 {
		t.Errorf("encoded 3,200 times in %d bytes, want at most ~3 bytes per post", n)
	}
}

func TestDecodeRejectsCorrupt(t *testing.T) {
	t.Parallel()
	valid := Encode(Record{NewestID: 3, Times: []int64{50, 100}})
	tests := []struct {
		name string
		in   []byte
	}{
		{"empty", nil},
		{"version 1 (the old seconds codec)", append([]byte{1}, valid[1:]...)},
		{"unknown flag", append([]byte{formatVersion, 0x80}, valid[2:]...)},
		{"truncated", valid[:len(valid)-1]},
		{"trailing bytes", append(slices.Clone(valid), 0)},
		{"count larger than input", []byte{formatVersion, 0, 0, 1, 200, 1}},
		{"unterminated varint", []byte{formatVersion, 0, 0x80}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Decode(tc.in); !errors.Is(err, ErrCorrupt) {
				t.Errorf("Decode(%v) error = %v, want ErrCorrupt", tc.in, err)
			}
		})
	}
}

func FuzzDecode(f *testing.F) {
	f.Add(Encode(Record{NewestID: 3, Times: []int64{50, 100}, FetchedAt: fetched, Truncated: true}))
	f.Add([]byte{formatVersion, 0, 0, 0, 0})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := Decode(b)
		if err != nil {
			return
		}
		again, err := Decode(Encode(r))
		if err != nil || again.NewestID != r.NewestID || again.Truncated != r.Truncated ||
			!again.FetchedAt.Equal(r.FetchedAt) || !slices.Equal(again.Times, r.Times) {
			t.Fatalf("re-encoding a decoded value changed it: %+v -> %+v (%v)", r, again, err)
		}
		if !slices.IsSorted(r.Times) {
			t.Fatalf("decoded times out of order: %v", r.Times)
		}
	})
}

func TestSince(t *testing.T) {
	t.Parallel()
	r := Record{NewestID: 5, Truncated: true, Times: []int64{100, 200, 300}}
	tests := []struct {
		from      int64
		want      []int64
		truncated bool
	}{
		{0, []int64{100, 200, 300}, true},
		{100, []int64{100, 200, 300}, true}, // the window start itself is inside
		{101, []int64{200, 300}, false},     // a post before the window: the cap's cut is outside it
		{301, []int64{}, false},
	}
	for _, tc := range tests {
		got := r.Since(tc.from)
		if got.NewestID != 5 || got.Truncated != tc.truncated || !slices.Equal(got.Times, tc.want) {
			t.Errorf("Since(%d) = %+v, want times %v, truncated %v, the newest id kept", tc.from, got, tc.want, tc.truncated)
		}
	}
}

func TestStore(t *testing.T) {
	t.Parallel()
	srv := redistest.Start(t)
	rdb := srv.Client()
	ctx := context.Background()
	s := NewStore(rdb, 29*24*time.Hour)

	if _, ok, err := s.Load(ctx, "42"); ok || err != nil {
		t.Fatalf("Load of a missing user = ok %v, err %v; want not ok, no error", ok, err)
	}
	want := Record{NewestID: 99, FetchedAt: fetched, Times: []int64{1_780_000_100_000, 1_780_000_300_000}}
	if err := s.Save(ctx, "42", want); err != nil {
		t.Fatal(err)
	}
	got, ok, err := s.Load(ctx, "42")
	if err != nil || !ok || got.NewestID != 99 || !got.FetchedAt.Equal(fetched) || !slices.Equal(got.Times, want.Times) {
		t.Fatalf("Load = %+v, %v, %v; want %+v", got, ok, err, want)
	}
	if ttl := rdb.TTL(ctx, keys.PostTimes("42")).Val(); ttl <= 28*24*time.Hour || ttl > 29*24*time.Hour {
		t.Errorf("TTL = %v, want about 29 days", ttl)
	}
	if n := rdb.DBSize(ctx).Val(); n != 1 {
		t.Errorf("one user's post times use %d keys, want 1", n)
	}

	// A value written by an incompatible version is treated as absent: one full fetch, no error.
	rdb.Set(ctx, keys.PostTimes("43"), "garbage", time.Hour)
	if _, ok, err := s.Load(ctx, "43"); ok || err != nil {
		t.Errorf("Load of a corrupt value = ok %v, err %v; want not ok, no error", ok, err)
	}

	// Redis down is storage_unavailable, never a silent empty record.
	srv.Stop()
	if _, _, err := s.Load(ctx, "42"); !apperr.Is(err, apperr.KindUnavailable) {
		t.Errorf("Load with Redis stopped = %v, want storage_unavailable", err)
	}
}

func BenchmarkEncodeDecode3200(b *testing.B) {
	r := Record{NewestID: 1 << 60, FetchedAt: fetched}
	for i := range 3200 {
		r.Times = append(r.Times, 1_780_000_000_000+int64(i)*600_000)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(Encode(r)); err != nil {
			b.Fatal(err)
		}
	}
}
