package transfer

import (
	"archive/tar"
	"context"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

var client = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// serve answers each path with its bytes on 127.0.0.1.
func serve(t *testing.T, files map[string][]byte) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/redirect" {
			http.Redirect(w, r, "/plain.txt", http.StatusFound)
			return
		}
		body, ok := files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	if !strings.HasPrefix(srv.URL, "http://127.0.0.1:") {
		t.Fatalf("test server is not on loopback: %s", srv.URL)
	}
	return srv.URL
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func noTempLeft(t *testing.T, dir string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".taskbbs-download-") {
			t.Fatalf("temporary file left behind: %s", e.Name())
		}
	}
}

func TestAPlainFileIsSavedUnderItsURLName(t *testing.T) {
	url := serve(t, map[string][]byte{"/files/plain.txt": []byte("hello")})
	dir := filepath.Join(t.TempDir(), "to", "deeper")
	if err := Fetch(context.Background(), client, Download{From: url + "/files/plain.txt", ToDir: dir}); err != nil {
		t.Fatal(err)
	}
	if got := read(t, filepath.Join(dir, "plain.txt")); got != "hello" {
		t.Fatalf("got %q", got)
	}
	noTempLeft(t, dir)
}

func TestAURLWithoutANameIsSavedAsDownload(t *testing.T) {
	url := serve(t, map[string][]byte{"/": []byte("root")})
	dir := t.TempDir()
	if err := Fetch(context.Background(), client, Download{From: url + "/", ToDir: dir}); err != nil {
		t.Fatal(err)
	}
	if got := read(t, filepath.Join(dir, "download")); got != "root" {
		t.Fatalf("got %q", got)
	}
}

func TestChecksumsAreVerifiedWhileStreaming(t *testing.T) {
	body := []byte("checked content")
	url := serve(t, map[string][]byte{"/f.bin": body})
	sums := map[string]string{
		"md5":    fmt.Sprintf("%x", md5.Sum(body)),
		"sha1":   fmt.Sprintf("%x", sha1.Sum(body)),
		"sha256": fmt.Sprintf("%x", sha256.Sum256(body)),
		"sha512": fmt.Sprintf("%x", sha512.Sum512(body)),
	}
	for alg, sum := range sums {
		t.Run(alg, func(t *testing.T) {
			dir := t.TempDir()
			if err := Fetch(context.Background(), client, Download{From: url + "/f.bin", ToDir: dir, ChecksumAlgorithm: alg, ChecksumValue: strings.ToUpper(sum)}); err != nil {
				t.Fatalf("good checksum refused: %v", err)
			}
			bad := t.TempDir()
			err := Fetch(context.Background(), client, Download{From: url + "/f.bin", ToDir: bad, ChecksumAlgorithm: alg, ChecksumValue: "the-checksum"})
			want := fmt.Sprintf("checksum mismatch: %s is %s, expected the-checksum", alg, sum)
			if err == nil || err.Error() != want {
				t.Fatalf("got %v, want %q", err, want)
			}
			if _, err := os.Stat(filepath.Join(bad, "f.bin")); !os.IsNotExist(err) {
				t.Fatal("a file with a bad checksum was kept")
			}
			noTempLeft(t, bad)
		})
	}
}

func TestANon2xxAnswerFailsAndRedirectsAreNotFollowed(t *testing.T) {
	url := serve(t, map[string][]byte{"/plain.txt": []byte("x")})
	for path, status := range map[string]int{"/missing": 404, "/redirect": 302} {
		err := Fetch(context.Background(), client, Download{From: url + path, ToDir: t.TempDir()})
		if want := fmt.Sprintf("%s%s answered %d", url, path, status); err == nil || err.Error() != want {
			t.Fatalf("got %v, want %q", err, want)
		}
	}
}

func TestArchivesAreExtractedIntoTheDirectory(t *testing.T) {
	plainTar := tarBytes(t, []entry{
		{name: "app/", kind: tar.TypeDir, mode: 0o755},
		{name: "app/run.sh", body: "#!/bin/sh\necho hi\n", mode: 0o755},
		{name: "app/link", kind: tar.TypeSymlink, link: "run.sh"},
		{name: "app/hard", kind: tar.TypeLink, link: "app/run.sh"},
		{name: "/abs/leading-slash.txt", body: "kept inside"},
	})
	url := serve(t, map[string][]byte{
		"/a.tar":    plainTar,
		"/a.tgz":    gzipBytes(plainTar),
		"/a.tar.gz": gzipBytes(plainTar),
		"/a.zip":    zipBytes(t, map[string]string{"app/run.sh": "#!/bin/sh\necho hi\n", "/abs/leading-slash.txt": "kept inside"}),
	})
	for _, name := range []string{"a.tar", "a.tgz", "a.zip"} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			// An existing file is overwritten, as tar and unzip -o do.
			os.MkdirAll(filepath.Join(dir, "app"), 0o755)
			os.WriteFile(filepath.Join(dir, "app", "run.sh"), []byte("old"), 0o644)
			if err := Fetch(context.Background(), client, Download{From: url + "/" + name, ToDir: dir}); err != nil {
				t.Fatal(err)
			}
			if got := read(t, filepath.Join(dir, "app", "run.sh")); got != "#!/bin/sh\necho hi\n" {
				t.Fatalf("run.sh: %q", got)
			}
			if got := read(t, filepath.Join(dir, "abs", "leading-slash.txt")); got != "kept inside" {
				t.Fatalf("leading slash: %q", got)
			}
			if name != "a.zip" {
				if fi, _ := os.Stat(filepath.Join(dir, "app", "run.sh")); fi.Mode().Perm() != 0o755 {
					t.Fatalf("mode %v", fi.Mode())
				}
				if target, _ := os.Readlink(filepath.Join(dir, "app", "link")); target != "run.sh" {
					t.Fatalf("symlink: %q", target)
				}
				if got := read(t, filepath.Join(dir, "app", "hard")); got != "#!/bin/sh\necho hi\n" {
					t.Fatalf("hard link: %q", got)
				}
			}
			if _, err := os.Stat(filepath.Join(dir, name)); !os.IsNotExist(err) {
				t.Fatal("the archive itself was kept")
			}
			noTempLeft(t, dir)
		})
	}
}

func TestArchiveEntriesEscapingTheDirectoryAreRefused(t *testing.T) {
	outside := t.TempDir()
	url := serve(t, map[string][]byte{
		"/dotdot.tar": tarBytes(t, []entry{{name: "ok.txt", body: "fine"}, {name: "../escaped.txt", body: "evil"}}),
		"/dotdot.zip": zipBytes(t, map[string]string{"../../escaped.txt": "evil"}),
		// A symlink to a directory outside, then a file written through it.
		"/symlink.tar": tarBytes(t, []entry{
			{name: "out", kind: tar.TypeSymlink, link: outside},
			{name: "out/escaped.txt", body: "evil"},
		}),
		"/hardlink.tar": tarBytes(t, []entry{{name: "h", kind: tar.TypeLink, link: "../../etc/passwd"}}),
	})
	for _, name := range []string{"dotdot.tar", "dotdot.zip", "symlink.tar", "hardlink.tar"} {
		t.Run(name, func(t *testing.T) {
			parent := t.TempDir()
			dir := filepath.Join(parent, "to")
			err := Fetch(context.Background(), client, Download{From: url + "/" + name, ToDir: dir})
			if err == nil {
				t.Fatal("an escaping archive was extracted")
			}
			for _, p := range []string{filepath.Join(parent, "escaped.txt"), filepath.Join(outside, "escaped.txt"), filepath.Join(filepath.Dir(parent), "escaped.txt")} {
				if _, err := os.Stat(p); !os.IsNotExist(err) {
					t.Fatalf("%s was written", p)
				}
			}
			if strings.HasPrefix(name, "dotdot") && !strings.Contains(err.Error(), "would be written outside "+dir) {
				t.Fatalf("unclear error: %v", err)
			}
		})
	}
}

func TestFileURLsAreDownloaded(t *testing.T) {
	src := filepath.Join(t.TempDir(), "local.tgz")
	os.WriteFile(src, gzipBytes(tarBytes(t, []entry{{name: "x.txt", body: "from file"}})), 0o644)
	dir := t.TempDir()
	if err := Fetch(context.Background(), client, Download{From: "file://" + src, ToDir: dir}); err != nil {
		t.Fatal(err)
	}
	if got := read(t, filepath.Join(dir, "x.txt")); got != "from file" {
		t.Fatalf("got %q", got)
	}
}

func TestDownloadsAreGivenToTheOwner(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("chown needs root")
	}
	url := serve(t, map[string][]byte{"/a.tar": tarBytes(t, []entry{{name: "d/f.txt", body: "x"}}), "/p.txt": []byte("y")})
	dir := t.TempDir()
	owner := &Owner{UID: 4321, GID: 8765}
	for _, f := range []string{"/a.tar", "/p.txt"} {
		if err := Fetch(context.Background(), client, Download{From: url + f, ToDir: dir, Owner: owner}); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range []string{"d", "d/f.txt", "p.txt"} {
		fi, _ := os.Lstat(filepath.Join(dir, p))
		if st := fi.Sys().(*syscall.Stat_t); st.Uid != 4321 || st.Gid != 8765 {
			t.Fatalf("%s owned by %d:%d", p, st.Uid, st.Gid)
		}
	}
}
