package analyzebody

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// scanner reads JSON tokens from a stream, holding at most one short token at a time.
type scanner struct {
	r       *bufio.Reader
	off     int64  // bytes consumed, for error messages
	scratch []byte // the current token
}

var errTooLong = errors.New("token too long")

// next returns the next byte after whitespace without consuming it. Whitespace is skipped a
// buffer at a time: a body may be mostly whitespace.
func (s *scanner) next() (byte, error) {
	for {
		if _, err := s.r.Peek(1); err != nil {
			return 0, err
		}
		buf, _ := s.r.Peek(s.r.Buffered())
		i := 0
		for i+8 <= len(buf) && binary.LittleEndian.Uint64(buf[i:]) == eightSpaces {
			i += 8
		}
		for i < len(buf) && isSpace(buf[i]) {
			i++
		}
		var c byte
		if i < len(buf) {
			c = buf[i]
		}
		_, _ = s.r.Discard(i)
		s.off += int64(i)
		if i < len(buf) {
			return c, nil
		}
	}
}

const eightSpaces = 0x2020202020202020

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// skip consumes the byte next returned.
func (s *scanner) skip() {
	_, _ = s.r.ReadByte()
	s.off++
}

func (s *scanner) read() (byte, error) {
	c, err := s.r.ReadByte()
	if err == nil {
		s.off++
	}
	return c, err
}

// expect consumes c, after whitespace.
func (s *scanner) expect(c byte) error {
	got, err := s.next()
	if err != nil {
		return s.syntax(err)
	}
	if got != c {
		return s.malformed()
	}
	s.skip()
	return nil
}

// literal consumes word (null), which next has seen begin.
func (s *scanner) literal(word string) error {
	for i := range len(word) {
		c, err := s.read()
		if err != nil {
			return s.syntax(err)
		}
		if c != word[i] {
			return s.malformed()
		}
	}
	return nil
}

// str reads the string token that starts next and returns its decoded value. A value longer than
// max bytes is read to its end but returned cut to max, with errTooLong.
func (s *scanner) str(max int) ([]byte, error) {
	if c, err := s.next(); err != nil {
		return nil, s.syntax(err)
	} else if c != '"' {
		return nil, s.malformed()
	}
	s.skip()
	s.scratch = append(s.scratch[:0], '"')
	escaped, esc, long := false, false, false
	for end := false; !end; {
		if _, err := s.r.Peek(1); err != nil {
			return nil, s.syntax(err)
		}
		buf, _ := s.r.Peek(s.r.Buffered())
		i := 0
		if long && !esc {
			// Past what is kept, only the end matters.
			if j := bytes.IndexAny(buf, "\"\\"); j < 0 {
				i = len(buf)
			} else {
				i = j
			}
		}
		for ; i < len(buf); i++ {
			c := buf[i]
			switch {
			case esc:
				esc = false
			case c == '\\':
				esc, escaped = true, true
			case c == '"':
				end = true
			case c < 0x20:
				return nil, s.malformed()
			}
			if end {
				break
			}
		}
		if keep := max + 1 - len(s.scratch); keep > 0 {
			s.scratch = append(s.scratch, buf[:min(i, keep)]...)
		}
		long = long || len(s.scratch) > max
		n := i
		if end {
			n++ // the closing quote
		}
		_, _ = s.r.Discard(n)
		s.off += int64(n)
	}
	if long {
		return s.scratch[1:min(len(s.scratch), max+1)], errTooLong
	}
	if !escaped {
		return s.scratch[1:], nil
	}
	var v string
	if err := json.Unmarshal(append(s.scratch, '"'), &v); err != nil {
		return nil, s.malformed()
	}
	return []byte(v), nil
}

// item reads one array item as raw bytes: a string token with its quotes, or the run of bytes
// up to the next delimiter. Anything longer than max is returned cut, for the error message.
func (s *scanner) item(max int) ([]byte, error) {
	c, err := s.next()
	if err != nil {
		return nil, s.syntax(err)
	}
	s.scratch = s.scratch[:0]
	if c == '"' {
		// To the next quote: a timestamp has no escapes, so an item with a backslash is invalid
		// wherever this stops.
		s.skip()
		s.scratch = append(s.scratch, c)
		for len(s.scratch) <= max {
			if _, err := s.r.Peek(1); err != nil {
				return nil, s.syntax(err)
			}
			buf, _ := s.r.Peek(s.r.Buffered())
			j := bytes.IndexByte(buf, '"')
			n := len(buf)
			if j >= 0 {
				n = j + 1
			}
			s.scratch = append(s.scratch, buf[:min(n, max+1-len(s.scratch))]...)
			_, _ = s.r.Discard(n)
			s.off += int64(n)
			if j >= 0 {
				break
			}
		}
		return s.scratch, nil
	}
	for len(s.scratch) <= max {
		if _, err := s.r.Peek(1); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, err
		}
		buf, _ := s.r.Peek(s.r.Buffered())
		i := 0
		for i < len(buf) && (!isDelim(buf[i]) || (i == 0 && len(s.scratch) == 0)) {
			i++
		}
		s.scratch = append(s.scratch, buf[:min(i, max+1-len(s.scratch))]...)
		_, _ = s.r.Discard(i)
		s.off += int64(i)
		if i < len(buf) {
			break
		}
	}
	return s.scratch, nil
}

func isDelim(c byte) bool {
	switch c {
	case ',', ']', '}', ' ', '\t', '\r', '\n':
		return true
	}
	return false
}

// syntax turns the end of the stream where a token was due into a syntax error; other errors
// (the body's size limit, a read timeout) are returned as they are.
func (s *scanner) syntax(err error) error {
	if errors.Is(err, io.EOF) {
		return invalidBody(fmt.Sprintf("malformed JSON: the body ends at byte %d in the middle of the object", s.off), nil)
	}
	return fmt.Errorf("read body: %w", err)
}

func (s *scanner) malformed() error {
	return invalidBody(fmt.Sprintf("malformed JSON at byte %d", s.off), nil)
}
