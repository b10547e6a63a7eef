package timeline

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/nezame/nezame/api/internal/redistest"
)

func TestEncodeDecodeRoundTrip(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   Timeline
		want []int64 // times as decoded: newest first
	}{
		{"empty", Timeline{}, []int64{}},
		{"only newest id", Timeline{NewestID: 1850000000000000000}, []int64{}},
		{"one", Timeline{NewestID: 7, Times: []int64{1_700_000_000}}, []int64{1_700_000_000}},
		{"sorted newest first", Timeline{NewestID: 9, Times: []int64{30, 20, 10}}, []int64{30, 20, 10}},
		{"unsorted input", Timeline{NewestID: 9, Times: []int64{10, 30, 20}}, []int64{30, 20, 10}},
		{"duplicate times", Timeline{NewestID: 9, Times: []int64{5, 5, 4}}, []int64{5, 5, 4}},
		{"negative time", Timeline{NewestID: 1, Times: []int64{-5, 3}}, []int64{3, -5}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Decode(Encode(tc.in))
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if got.NewestID != tc.in.NewestID || !slices.Equal(got.Times, tc.want) {
				t.Errorf("round trip = %+v, want id %d times %v", got, tc.in.NewestID, tc.want)
			}
		})
	}
}

func TestEncodeIsCompact(t *testing.T) {
	t.Parallel()
	// 3,200 posts a few minutes apart: the heaviest timeline the API can return.
	tl := Timeline{NewestID: 1 << 60}
	for i := range 3200 {
		tl.Times = append(tl.Times, 1_780_000_000-int64(i)*600)
	}
	if n := len(Encode(tl)); n > 3*3200+32 {
		t.Errorf("encoded 3,200 times in %d bytes, want at most ~3 bytes per post", n)
	}
}

func TestDecodeRejectsCorrupt(t *testing.T) {
	t.Parallel()
	valid := Encode(Timeline{NewestID: 3, Times: []int64{100, 50}})
	tests := []struct {
		name string
		in   []byte
	}{
		{"empty", nil},
		{"wrong version", append([]byte{9}, valid[1:]...)},
		{"truncated", valid[:len(valid)-1]},
		{"trailing bytes", append(slices.Clone(valid), 0)},
		{"count larger than input", []byte{formatVersion, 1, 200, 1}},
		{"unterminated varint", []byte{formatVersion, 0x80}},
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
	f.Add(Encode(Timeline{NewestID: 3, Times: []int64{100, 50}}))
	f.Add([]byte{formatVersion, 0, 0})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		tl, err := Decode(b)
		if err != nil {
			return
		}
		again, err := Decode(Encode(tl))
		if err != nil || again.NewestID != tl.NewestID || len(again.Times) != len(tl.Times) {
			t.Fatalf("re-encoding a decoded value changed it: %+v -> %+v (%v)", tl, again, err)
		}
	})
}

func TestPrune(t *testing.T) {
	t.Parallel()
	tl := Timeline{NewestID: 5, Times: []int64{300, 200, 100}}
	tests := []struct {
		from time.Time
		want []int64
	}{
		{time.Unix(0, 0), []int64{300, 200, 100}},
		{time.Unix(200, 0), []int64{300, 200}}, // the window start itself is inside
		{time.Unix(201, 0), []int64{300}},
		{time.Unix(301, 0), []int64{}},
	}
	for _, tc := range tests {
		got := tl.Prune(tc.from)
		if got.NewestID != 5 || !slices.Equal(got.Times, tc.want) {
			t.Errorf("Prune(%d) = %+v, want times %v and the newest id kept", tc.from.Unix(), got, tc.want)
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
	want := Timeline{NewestID: 99, Times: []int64{1_780_000_300, 1_780_000_100}}
	if err := s.Save(ctx, "42", want); err != nil {
		t.Fatal(err)
	}
	got, ok, err := s.Load(ctx, "42")
	if err != nil || !ok || got.NewestID != 99 || !slices.Equal(got.Times, want.Times) {
		t.Fatalf("Load = %+v, %v, %v; want %+v", got, ok, err, want)
	}
	if ttl := rdb.TTL(ctx, Key("42")).Val(); ttl <= 28*24*time.Hour || ttl > 29*24*time.Hour {
		t.Errorf("TTL = %v, want about 29 days", ttl)
	}
	if n := rdb.DBSize(ctx).Val(); n != 1 {
		t.Errorf("one user's timeline uses %d keys, want 1", n)
	}

	// A value written by an incompatible version is treated as absent: one full fetch, no error.
	rdb.Set(ctx, Key("43"), "garbage", time.Hour)
	if _, ok, err := s.Load(ctx, "43"); ok || err != nil {
		t.Errorf("Load of a corrupt value = ok %v, err %v; want not ok, no error", ok, err)
	}

	// Redis down is an error, never a silent empty timeline.
	srv.Stop()
	if _, _, err := s.Load(ctx, "42"); err == nil {
		t.Error("Load with Redis stopped: want an error")
	}
}

func BenchmarkEncodeDecode3200(b *testing.B) {
	tl := Timeline{NewestID: 1 << 60}
	for i := range 3200 {
		tl.Times = append(tl.Times, 1_780_000_000-int64(i)*600)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(Encode(tl)); err != nil {
			b.Fatal(err)
		}
	}
}
