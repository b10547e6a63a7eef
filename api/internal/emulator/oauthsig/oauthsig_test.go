package oauthsig

import (
	"errors"
	"testing"
)

// TestRFC5849WorkedExample checks the request of RFC 5849 §1.2 (printer.example.com / photos).
func TestRFC5849WorkedExample(t *testing.T) {
	t.Parallel()
	header := `OAuth realm="Photos", oauth_consumer_key="dpf43f3p2l4k3l03", oauth_token="nnch734d00sl2jdk", ` +
		`oauth_signature_method="HMAC-SHA1", oauth_timestamp="137131202", oauth_nonce="chapoH", ` +
		`oauth_signature="MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D"`
	params, err := ParseAuthorization(header)
	if err != nil {
		t.Fatalf("ParseAuthorization: %v", err)
	}
	query, err := ParseQuery("file=vacation.jpg&size=original")
	if err != nil {
		t.Fatalf("ParseQuery: %v", err)
	}
	var sig string
	for _, p := range params {
		if p.Key == "oauth_signature" {
			sig = p.Value
		}
	}
	base := BaseString("GET", BaseURI("HTTP", "Photos.example.net:80", "/photos"), append(query, params...))
	const wantBase = "GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3DchapoH%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131202%26oauth_token%3Dnnch734d00sl2jdk%26size%3Doriginal"
	if base != wantBase {
		t.Errorf("base string\n got %s\nwant %s", base, wantBase)
	}
	if got := Sign("kd94hf93k423kf44", "pfkkdhi9sl3r4s00", base); got != "MdpQcU8iPSUjWoN/UDMsK2sui9I=" {
		t.Errorf("Sign = %q, want MdpQcU8iPSUjWoN/UDMsK2sui9I=", got)
	}
	if !Valid("kd94hf93k423kf44", "pfkkdhi9sl3r4s00", base, sig) {
		t.Error("Valid rejected the RFC's own signature")
	}
	if Valid("kd94hf93k423kf44", "wrong", base, sig) {
		t.Error("Valid accepted a signature made with another token secret")
	}
}

// TestRFC5849BaseStringExample checks §3.4.1.1's base string, which exercises duplicate keys,
// empty values, '+' in a form body and double encoding.
func TestRFC5849BaseStringExample(t *testing.T) {
	t.Parallel()
	header := `OAuth realm="Example", oauth_consumer_key="9djdj82h48djs9d2", oauth_token="kkk9d7dh3k39sjv7", ` +
		`oauth_signature_method="HMAC-SHA1", oauth_timestamp="137131201", oauth_nonce="7d8f3e4a", ` +
		`oauth_signature="bYT5CMsGcbgUdFHObYMEfcx6bsw%3D"`
	hp, err := ParseAuthorization(header)
	if err != nil {
		t.Fatal(err)
	}
	qp, err := ParseQuery("b5=%3D%253D&a3=a&c%40=&a2=r%20b")
	if err != nil {
		t.Fatal(err)
	}
	bp, err := ParseQuery("c2&a3=2+q")
	if err != nil {
		t.Fatal(err)
	}
	all := append(append(qp, bp...), hp...)
	got := BaseString("post", BaseURI("http", "example.com", "/request"), all)
	const want = "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7"
	if got != want {
		t.Errorf("base string\n got %s\nwant %s", got, want)
	}
}

// TestTwitterCreatingASignature checks Twitter's published "Creating a signature" example.
func TestTwitterCreatingASignature(t *testing.T) {
	t.Parallel()
	params := []Param{
		{"include_entities", "true"},
		{"status", "Hello Ladies + Gentlemen, a signed OAuth request!"},
		{"oauth_consumer_key", "xvz1evFS4wEEPTGEFPHBog"},
		{"oauth_nonce", "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg"},
		{"oauth_signature_method", "HMAC-SHA1"},
		{"oauth_timestamp", "1318622958"},
		{"oauth_token", "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb"},
		{"oauth_version", "1.0"},
	}
	base := BaseString("POST", BaseURI("https", "api.twitter.com", "/1.1/statuses/update.json"), params)
	const wantBase = "POST&https%3A%2F%2Fapi.twitter.com%2F1.1%2Fstatuses%2Fupdate.json&include_entities%3Dtrue%26oauth_consumer_key%3Dxvz1evFS4wEEPTGEFPHBog%26oauth_nonce%3DkYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1318622958%26oauth_token%3D370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb%26oauth_version%3D1.0%26status%3DHello%2520Ladies%2520%252B%2520Gentlemen%252C%2520a%2520signed%2520OAuth%2520request%2521"
	if base != wantBase {
		t.Errorf("base string\n got %s\nwant %s", base, wantBase)
	}
	got := Sign("kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw", "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE", base)
	if got != "hCtSmYh+iHYCEqBWrE7C7hYmtUk=" {
		t.Errorf("Sign = %q, want hCtSmYh+iHYCEqBWrE7C7hYmtUk=", got)
	}
}

func TestPercentEncode(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"", ""},
		{"abcXYZ019-._~", "abcXYZ019-._~"},
		{"Ladies + Gentlemen", "Ladies%20%2B%20Gentlemen"},
		{"a/b?c=d&e", "a%2Fb%3Fc%3Dd%26e"},
		{"☃", "%E2%98%83"},
		{"*!'()", "%2A%21%27%28%29"},
	}
	for _, tc := range tests {
		if got := PercentEncode(tc.in); got != tc.want {
			t.Errorf("PercentEncode(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestBaseURI(t *testing.T) {
	t.Parallel()
	tests := []struct{ scheme, host, path, want string }{
		{"http", "Example.COM:80", "/r%20v/X", "http://example.com/r%20v/X"},
		{"https", "www.example.net:8080", "/", "https://www.example.net:8080/"},
		{"https", "api.example.com:443", "/1.1/x.json", "https://api.example.com/1.1/x.json"},
		{"http", "localhost:443", "/a", "http://localhost:443/a"},
		{"http", "localhost:8080", "", "http://localhost:8080/"},
	}
	for _, tc := range tests {
		if got := BaseURI(tc.scheme, tc.host, tc.path); got != tc.want {
			t.Errorf("BaseURI(%q,%q,%q) = %q, want %q", tc.scheme, tc.host, tc.path, got, tc.want)
		}
	}
}

func TestParseAuthorization(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		header  string
		want    []Param
		wantErr bool
	}{
		{"simple", `OAuth oauth_nonce="abc", oauth_token="t%2B1"`, []Param{{"oauth_nonce", "abc"}, {"oauth_token", "t+1"}}, false},
		{"case-insensitive scheme and no spaces", `oauth a="1",b="2"`, []Param{{"a", "1"}, {"b", "2"}}, false},
		{"plus stays plus", `OAuth oauth_signature="a+b"`, []Param{{"oauth_signature", "a+b"}}, false},
		{"empty value", `OAuth oauth_token=""`, []Param{{"oauth_token", ""}}, false},
		{"wrong scheme", `Bearer abc`, nil, true},
		{"scheme glued", `OAuthx a="1"`, nil, true},
		{"no params", `OAuth `, nil, true},
		{"unquoted", `OAuth a=1`, nil, true},
		{"unterminated", `OAuth a="1`, nil, true},
		{"missing comma", `OAuth a="1" b="2"`, nil, true},
		{"bad escape", `OAuth a="%zz"`, nil, true},
		{"no equals", `OAuth a`, nil, true},
		{"blank name", "OAuth \r=\"\"", nil, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseAuthorization(tc.header)
			if tc.wantErr {
				if !errors.Is(err, ErrMalformed) {
					t.Fatalf("err = %v, want ErrMalformed", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("err = %v", err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("param %d = %v, want %v", i, got[i], tc.want[i])
				}
			}
		})
	}
}

func TestIsFormBody(t *testing.T) {
	t.Parallel()
	tests := map[string]bool{
		"application/x-www-form-urlencoded":                true,
		"application/x-www-form-urlencoded; charset=utf-8": true,
		"multipart/form-data; boundary=x":                  false,
		"application/json":                                 false,
		"":                                                 false,
	}
	for ct, want := range tests {
		if got := IsFormBody(ct); got != want {
			t.Errorf("IsFormBody(%q) = %v, want %v", ct, got, want)
		}
	}
}

// FuzzParseAuthorization checks that header and query parsing never panic, and that whatever
// parses survives a round trip through the canonical header encoding.
func FuzzParseAuthorization(f *testing.F) {
	f.Add(`OAuth realm="Photos", oauth_consumer_key="dpf43f3p2l4k3l03", oauth_signature="MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D"`)
	f.Add(`OAuth a="1",b="2"`)
	f.Add(`OAuth a="%`)
	f.Add(`oauth ,,, a = "x" ,`)
	f.Add("b5=%3D%253D&a3=a&c%40=&a2=r%20b")
	f.Fuzz(func(t *testing.T, s string) {
		params, err := ParseAuthorization(s)
		if _, qerr := ParseQuery(s); qerr != nil && !errors.Is(qerr, ErrMalformed) {
			t.Fatalf("ParseQuery error not ErrMalformed: %v", qerr)
		}
		_ = NormalizeParams(params)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error not ErrMalformed: %v", err)
			}
			return
		}
		header := "OAuth "
		for i, p := range params {
			if i > 0 {
				header += ", "
			}
			header += PercentEncode(p.Key) + `="` + PercentEncode(p.Value) + `"`
		}
		again, err := ParseAuthorization(header)
		if err != nil {
			t.Fatalf("re-parse of %q: %v", header, err)
		}
		if len(again) != len(params) {
			t.Fatalf("round trip changed the parameter count: %v vs %v", params, again)
		}
		for i := range params {
			if again[i] != params[i] {
				t.Fatalf("round trip changed %v into %v", params[i], again[i])
			}
		}
	})
}
