package transfer

import (
	"encoding/binary"
	"io"
	"os"
)

// sniff tells an archive by its magic bytes, as transfer.ts does: gzip
// (1f 8b, taken as a tgz), zip (PK\x03\x04), tar ("ustar" at offset 257).
func sniff(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	buf := make([]byte, 512)
	n, err := io.ReadFull(f, buf)
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return "", err
	}
	switch {
	case n >= 2 && buf[0] == 0x1f && buf[1] == 0x8b:
		return "tgz", nil
	case n >= 4 && binary.BigEndian.Uint32(buf) == 0x504b0304:
		return "zip", nil
	case n >= 262 && string(buf[257:262]) == "ustar":
		return "tar", nil
	}
	return "file", nil
}
