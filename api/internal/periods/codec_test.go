package periods

import (
	"slices"
	"testing"
)

func TestTimesRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		name string
		ms   []int64
	}{
		{"empty", nil},
		{"one", []int64{1793487600000}},
		{"oldest first", []int64{1793487600000, 1793487601000, 1793491200000}},
		{"unsorted and duplicates", []int64{1793491200000, 1793487600000, 1793487600000}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := decodeTimes(encodeTimes(tc.ms))
			if err != nil || !slices.Equal(got, tc.ms) {
				t.Fatalf("round trip = %v, %v; want %v", got, err, tc.ms)
			}
		})
	}
	if b := encodeTimes(make([]int64, 3200)); len(b) > 3200 {
		t.Fatalf("3,200 equal times take %d bytes; deltas should make that 1 byte each", len(b))
	}
	if _, err := decodeTimes([]byte{0xff}); err == nil {
		t.Fatal("a truncated varint decoded without error")
	}
}
