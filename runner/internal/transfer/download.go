// Package transfer moves files in and out of the container as the local
// executor's transfer.ts does: download (http, https, file) with the checksum
// verified while streaming and archives extracted, upload by POST.
package transfer

import (
	"context"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"
)

// MaxDownloadBytes is the largest download accepted; a runaway URL must not
// fill the disk (the local executor's MAX_DOWNLOAD_BYTES).
const MaxDownloadBytes = 1024 * 1024 * 1024

// Download describes one download action, its paths already in the root.
type Download struct {
	From              string
	ToDir             string
	ChecksumAlgorithm string
	ChecksumValue     string
	// Owner, when set, receives ownership of everything written (root only).
	Owner *Owner
}

type Owner struct{ UID, GID int }

func newHash(algorithm string) (hash.Hash, error) {
	switch strings.ToLower(algorithm) {
	case "":
		return nil, nil
	case "md5":
		return md5.New(), nil
	case "sha1":
		return sha1.New(), nil
	case "sha256":
		return sha256.New(), nil
	case "sha512":
		return sha512.New(), nil
	}
	return nil, fmt.Errorf("checksum algorithm %q is not supported", algorithm)
}

// Fetch downloads d.From into d.ToDir: an archive (tgz, tar, zip, told by its
// magic bytes) is extracted there, any other file is saved under the last
// segment of the URL's path ("download" when it has none).
func Fetch(ctx context.Context, client *http.Client, d Download) error {
	if err := os.MkdirAll(d.ToDir, 0o755); err != nil {
		return err
	}
	u, err := url.Parse(d.From)
	if err != nil {
		return err
	}
	h, err := newHash(d.ChecksumAlgorithm)
	if err != nil {
		return err
	}
	body, err := open(ctx, client, u, d.From)
	if err != nil {
		return err
	}
	defer body.Close()

	tmp := filepath.Join(d.ToDir, fmt.Sprintf(".taskbbs-download-%d-%d", os.Getpid(), time.Now().UnixNano()))
	defer os.Remove(tmp)
	if err := save(ctx, body, tmp, h); err != nil {
		return err
	}
	if h != nil && d.ChecksumValue != "" {
		digest := fmt.Sprintf("%x", h.Sum(nil))
		if digest != strings.ToLower(d.ChecksumValue) {
			return fmt.Errorf("checksum mismatch: %s is %s, expected %s", d.ChecksumAlgorithm, digest, d.ChecksumValue)
		}
	}
	kind, err := sniff(tmp)
	if err != nil {
		return err
	}
	if kind != "file" {
		return extract(kind, tmp, d.ToDir, d.Owner)
	}
	dest := filepath.Join(d.ToDir, fileName(u))
	if err := os.Rename(tmp, dest); err != nil {
		return err
	}
	if d.Owner != nil {
		return os.Lchown(dest, d.Owner.UID, d.Owner.GID)
	}
	return nil
}

// fileName is the URL path's last segment as Node's basename(url.pathname)
// gives it (still percent-encoded), or "download".
func fileName(u *url.URL) string {
	p := u.EscapedPath()
	if u.Scheme == "file" {
		p = u.Path
	}
	name := path.Base(strings.TrimRight(p, "/"))
	if name == "." || name == "/" || name == "" || !filepath.IsLocal(name) {
		return "download"
	}
	return name
}

func open(ctx context.Context, client *http.Client, u *url.URL, from string) (io.ReadCloser, error) {
	switch u.Scheme {
	case "file":
		return os.Open(u.Path)
	case "http", "https":
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
		if err != nil {
			return nil, err
		}
		res, err := client.Do(req)
		if err != nil {
			return nil, err
		}
		if res.StatusCode < 200 || res.StatusCode > 299 {
			_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64*1024))
			res.Body.Close()
			return nil, fmt.Errorf("%s answered %d", from, res.StatusCode)
		}
		return res.Body, nil
	}
	return nil, fmt.Errorf("%s: only http, https and file URLs can be downloaded", from)
}

// save streams body into path, hashing and counting as it goes.
func save(ctx context.Context, body io.Reader, path string, h hash.Hash) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	buf := make([]byte, 256*1024)
	var size int64
	for {
		if err := ctx.Err(); err != nil {
			return errors.New("This operation was aborted")
		}
		n, rerr := body.Read(buf)
		if n > 0 {
			size += int64(n)
			if size > MaxDownloadBytes {
				return fmt.Errorf("download exceeds %d bytes", MaxDownloadBytes)
			}
			if h != nil {
				h.Write(buf[:n])
			}
			if _, err := f.Write(buf[:n]); err != nil {
				return err
			}
		}
		if rerr == io.EOF {
			return f.Close()
		}
		if rerr != nil {
			return rerr
		}
	}
}
