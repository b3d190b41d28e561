package actions

import (
	"crypto/md5"
	"crypto/sha256"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
)

func TestDownloadSaysWhatItFetchesAndReportsFailuresAsDownload(t *testing.T) {
	body := []byte("#!/bin/sh\necho downloaded tool\n")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/tool.sh" {
			http.NotFound(w, r)
			return
		}
		w.Write(body)
	}))
	defer srv.Close()
	h := newHarness(t)
	sum := fmt.Sprintf("%x", sha256.Sum256(body))
	expectOK(t, h.run(t, `{"serial":{"actions":[
		{"download":{"from":"`+srv.URL+`/tool.sh","to":"/app","user":"root","artifact":"the tool","checksum_algorithm":"sha256","checksum_value":"`+sum+`"}},
		{"run":{"path":"sh","args":["app/tool.sh"],"user":"root"}}]}}`))
	equal(t, h.lines(t, "system"), []string{"Downloading the tool...", "Downloaded the tool"})
	equal(t, h.lines(t, "stdout"), []string{"downloaded tool"})

	h2 := newHarness(t)
	expectFailure(t, h2.run(t, `{"download":{"from":"`+srv.URL+`/tool.sh","to":"/app","user":"root","checksum_algorithm":"md5","checksum_value":"the-checksum"}}`),
		fmt.Sprintf("download: checksum mismatch: md5 is %x, expected the-checksum", md5.Sum(body)))
	expectFailure(t, h2.run(t, `{"download":{"from":"`+srv.URL+`/nope","to":"/app","user":"root"}}`), "download: "+srv.URL+"/nope answered 404")
	expectFailure(t, h2.run(t, `{"download":{"from":"`+srv.URL+`/tool.sh","to":"../../outside","user":"root","log_source":"DL"}}`), "download: ../../outside resolves outside the task directory")
	equal(t, h2.lines(t, "system"), []string{"Downloading " + srv.URL + "/tool.sh...", "Downloading " + srv.URL + "/nope...", "Downloading " + srv.URL + "/tool.sh..."})
	if fs := h2.frames(t); fs[2].Src != "DL" {
		t.Fatalf("log source: %+v", fs[2])
	}
}

func TestUploadPostsAFileFromTheRoot(t *testing.T) {
	got := make(chan string, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- string(b)
	}))
	defer srv.Close()
	h := newHarness(t)
	os.MkdirAll(filepath.Join(h.Root, "out"), 0o755)
	os.WriteFile(filepath.Join(h.Root, "out", "droplet.tgz"), []byte("droplet bytes"), 0o644)
	expectOK(t, h.run(t, `{"upload":{"from":"/out/droplet.tgz","to":"`+srv.URL+`/up","user":"root","artifact":"droplet"}}`))
	if b := <-got; b != "droplet bytes" {
		t.Fatalf("server got %q", b)
	}
	equal(t, h.lines(t, "system"), []string{"Uploaded droplet"})
	missing := filepath.Join(h.Root, "out", "missing")
	expectFailure(t, h.run(t, `{"upload":{"from":"/out/missing","to":"`+srv.URL+`/up","user":"root"}}`),
		"upload: ENOENT: no such file or directory, stat '"+missing+"'")
}
