package share

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
)

// encodePNG writes an opaque RGBA image as an 8-bit RGB PNG using the "Up" filter on every
// row. image/png tries all five filters per row, which was most of the render time; the card is
// made of vertical bars and flat areas, where Up turns most rows into zeros, so one fixed filter
// gives a file as small at a fraction of the cost. The output is deterministic.
func encodePNG(img *image.RGBA) ([]byte, error) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	var out bytes.Buffer
	out.Grow(64 << 10)
	out.WriteString("\x89PNG\r\n\x1a\n")

	var ihdr [13]byte
	binary.BigEndian.PutUint32(ihdr[0:], uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8], ihdr[9] = 8, 2 // bit depth 8, colour type RGB; compression, filter, interlace 0
	writeChunk(&out, "IHDR", ihdr[:])

	var idat bytes.Buffer
	idat.Grow(64 << 10)
	zw, err := zlib.NewWriterLevel(&idat, zlib.BestSpeed)
	if err != nil {
		return nil, fmt.Errorf("png zlib: %w", err)
	}
	prev := make([]byte, 3*w)
	cur := make([]byte, 3*w)
	line := make([]byte, 1+3*w)
	line[0] = 2 // filter type Up
	for y := range h {
		row := img.Pix[y*img.Stride:]
		for x := range w {
			cur[3*x], cur[3*x+1], cur[3*x+2] = row[4*x], row[4*x+1], row[4*x+2]
		}
		for i, c := range cur {
			line[1+i] = c - prev[i]
		}
		if _, err := zw.Write(line); err != nil {
			return nil, fmt.Errorf("png deflate: %w", err)
		}
		prev, cur = cur, prev
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("png deflate: %w", err)
	}
	writeChunk(&out, "IDAT", idat.Bytes())
	writeChunk(&out, "IEND", nil)
	return out.Bytes(), nil
}

func writeChunk(out *bytes.Buffer, typ string, data []byte) {
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(data)))
	out.Write(n[:])
	crc := crc32.NewIEEE()
	crc.Write([]byte(typ))
	crc.Write(data)
	out.WriteString(typ)
	out.Write(data)
	binary.BigEndian.PutUint32(n[:], crc.Sum32())
	out.Write(n[:])
}
