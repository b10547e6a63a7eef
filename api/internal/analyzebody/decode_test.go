package analyzebody

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/nezame/nezame/api/internal/apperr"
)

// readers feed a body whole and one byte at a time, so tokens split across reads are covered.
var readers = map[string]func(string) io.Reader{
	"whole":    func(s string) io.Reader { return strings.NewReader(s) },
	"one byte": func(s string) io.Reader { return iotest.OneByteReader(strings.NewReader(s)) },
}

func TestDecodeValid(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		times      []int64
		given      int
		tz         string
	}{
		{"empty list", `{"timestamps":[]}`, nil, 0, ""},
		{"spaces everywhere", " {\n \"timestamps\" :\t[ 1793487600000 ,\r\n\"2026-11-01T00:00:00Z\" ] , \"tz\" : \"Asia/Tokyo\" }\n ",
			[]int64{1793487600000, 1793491200000}, 2, "Asia/Tokyo"},
		{"tz first, null sources", `{"tz":"UTC","sources":null,"timestamps":[1793487600000]}`, []int64{1793487600000}, 1, "UTC"},
		{"tz null", `{"timestamps":[1793487600000],"tz":null}`, []int64{1793487600000}, 1, ""},
		{"nanoseconds and offsets", `{"timestamps":["2026-11-01T07:00:00.123456789+09:00"]}`, []int64{1793484000123}, 1, ""},
		{"automated sources dropped", `{"timestamps":[1793487600000,1793491200000,1793494800000],"sources":["Twitter for iPhone","<a href=\"https://x\" rel=\"nofollow\">twittbot.net</a>","Twitter Web App"]}`,
			[]int64{1793487600000, 1793494800000}, 3, ""},
		{"sources before timestamps", `{"sources":["IFTTT","Twitter for Android"],"timestamps":[1793487600000,1793491200000]}`,
			[]int64{1793491200000}, 2, ""},
		{"escaped source", `{"timestamps":[1793487600000],"sources":["twitt\u0062ot.net"]}`, []int64{}, 1, ""},
	} {
		for rname, reader := range readers {
			t.Run(tc.name+"/"+rname, func(t *testing.T) {
				req, err := Decode(reader(tc.body), 10, nil)
				if err != nil {
					t.Fatal(err)
				}
				if fmt.Sprint(req.Times) != fmt.Sprint(tc.times) && !(len(req.Times) == 0 && len(tc.times) == 0) {
					t.Fatalf("times %v, want %v", req.Times, tc.times)
				}
				if req.Given != tc.given || req.TZ != tc.tz {
					t.Fatalf("given %d tz %q", req.Given, req.TZ)
				}
			})
		}
	}
}

func TestDecodeInvalid(t *testing.T) {
	for _, tc := range []struct {
		name, body, code, msgHas string
	}{
		{"empty", "", "invalid_body", "empty"},
		{"only spaces", "   ", "invalid_body", "empty"},
		{"array", `[1,2]`, "invalid_body", "JSON object"},
		{"cut off", `{"timestamps":[1793487600000,`, "invalid_body", "malformed"},
		{"cut off in a string", `{"tz":"Asia`, "invalid_body", "malformed"},
		{"no timestamps", `{"tz":"UTC"}`, "invalid_body", `"timestamps" array`},
		{"timestamps null", `{"timestamps":null}`, "invalid_body", `"timestamps" array`},
		{"timestamps a string", `{"timestamps":"2026"}`, "invalid_body", "must be an array"},
		{"tz a number", `{"timestamps":[],"tz":9}`, "invalid_body", "tz must be a string"},
		{"unknown field", `{"timestamps":[],"text":["secret"]}`, "invalid_body", `unknown field "text"`},
		{"long unknown field", `{"` + strings.Repeat("k", 500) + `":1}`, "invalid_body", "unknown field"},
		{"twice", `{"timestamps":[],"timestamps":[]}`, "invalid_body", "twice"},
		{"trailing object", `{"timestamps":[]} {}`, "invalid_body", "exactly one"},
		{"missing colon", `{"timestamps" []}`, "invalid_body", "malformed"},
		{"missing comma", `{"timestamps":[] "tz":"UTC"}`, "invalid_body", "malformed"},
		{"bad separator in array", `{"timestamps":[1793487600000;1]}`, "invalid_timestamp", "timestamps[0]"},
		{"seconds", `{"timestamps":[1793487600]}`, "invalid_timestamp", "timestamps[0]"},
		{"float", `{"timestamps":[1793487600000.5]}`, "invalid_timestamp", "timestamps[0]"},
		{"before Twitter", `{"timestamps":["2001-01-01T00:00:00Z"]}`, "invalid_timestamp", "timestamps[0]"},
		{"null item", `{"timestamps":[1793487600000,null]}`, "invalid_timestamp", "timestamps[1]"},
		{"object item", `{"timestamps":[{"t":1}]}`, "invalid_timestamp", "timestamps[0]"},
		{"nested array", `{"timestamps":[1793487600000,[1793487600000]]}`, "invalid_timestamp", "timestamps[1]"},
		{"escaped string", `{"timestamps":["2026-11-01T07:00:00\u002b09:00"]}`, "invalid_timestamp", "timestamps[0]"},
		{"long item", `{"timestamps":["` + strings.Repeat("9", 5000) + `"]}`, "invalid_timestamp", "…"},
		{"sources length", `{"timestamps":[1793487600000],"sources":[]}`, "invalid_body", "one entry per timestamp"},
		{"source not a string", `{"timestamps":[1793487600000],"sources":[1]}`, "invalid_body", "sources[0] must be a string"},
		{"source too long", `{"timestamps":[1793487600000],"sources":["` + strings.Repeat("s", 5000) + `"]}`, "invalid_body", "sources[0] is longer"},
		{"control character", "{\"tz\":\"a\nb\",\"timestamps\":[]}", "invalid_body", "malformed"},
		{"too many", `{"timestamps":[` + strings.Repeat("1793487600000,", 10) + `1793487600000]}`, "too_many_timestamps", "At most 10"},
		{"too many sources", `{"sources":[` + strings.Repeat(`"a",`, 10) + `"a"]}`, "too_many_timestamps", "At most 10"},
	} {
		for rname, reader := range readers {
			t.Run(tc.name+"/"+rname, func(t *testing.T) {
				_, err := Decode(reader(tc.body), 10, nil)
				e, ok := apperr.As(err)
				if !ok || e.Code != tc.code || !strings.Contains(e.Message, tc.msgHas) {
					t.Fatalf("got %v; want %s with %q", err, tc.code, tc.msgHas)
				}
			})
		}
	}
}

func TestLongTZIsCut(t *testing.T) {
	req, err := Decode(strings.NewReader(`{"timestamps":[],"tz":"`+strings.Repeat("z", 10000)+`"}`), 10, nil)
	if err != nil || len(req.TZ) > maxTZ+len("…") {
		t.Fatalf("tz of %d bytes, %v", len(req.TZ), err)
	}
}

// Memory is reserved before it is held, in doubling steps, and a refused reservation stops
// decoding with the reservation's error.
func TestDecodeReservesAsTimestampsArrive(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"timestamps":[`)
	for i := range 10000 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprint(&b, 1793487600000+int64(i))
	}
	b.WriteString(`]}`)
	var reserved []int64
	req, err := Decode(strings.NewReader(b.String()), 1_000_000, func(n int64) error { reserved = append(reserved, n); return nil })
	if err != nil || len(req.Times) != 10000 {
		t.Fatal(len(req.Times), err)
	}
	want := fmt.Sprint([]int64{4096 * BytesPerTimestamp, 4096 * BytesPerTimestamp, 8192 * BytesPerTimestamp})
	if fmt.Sprint(reserved) != want || cap(req.Times) != 16384 {
		t.Fatalf("reserved %v for a capacity of %d; want %s", reserved, cap(req.Times), want)
	}
	full := errors.New("budget full")
	calls := 0
	_, err = Decode(strings.NewReader(b.String()), 1_000_000, func(int64) error {
		if calls++; calls == 2 {
			return full
		}
		return nil
	})
	if !errors.Is(err, full) {
		t.Fatalf("a refused reservation: %v", err)
	}
}

// A read error (the size limit, a timeout) comes back as itself, not as a syntax error.
func TestDecodeReadErrors(t *testing.T) {
	boom := errors.New("read limit")
	r := io.MultiReader(strings.NewReader(`{"timestamps":[1793487600000,`), iotest.ErrReader(boom))
	if _, err := Decode(r, 10, nil); !errors.Is(err, boom) {
		t.Fatalf("got %v", err)
	}
}
