package transfer

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
)

func TestUploadPostsTheFile(t *testing.T) {
	type got struct{ method, ctype, length, body string }
	received := make(chan got, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		received <- got{r.Method, r.Header.Get("content-type"), r.Header.Get("content-length"), string(b)}
		if r.URL.Path == "/refuse" {
			w.WriteHeader(http.StatusForbidden)
		}
	}))
	defer srv.Close()
	file := filepath.Join(t.TempDir(), "out.bin")
	os.WriteFile(file, []byte("payload!"), 0o644)
	if err := Upload(context.Background(), client, file, srv.URL+"/up"); err != nil {
		t.Fatal(err)
	}
	if g := <-received; g != (got{"POST", "application/octet-stream", "8", "payload!"}) {
		t.Fatalf("server got %+v", g)
	}
	err := Upload(context.Background(), client, file, srv.URL+"/refuse")
	<-received
	if want := srv.URL + "/refuse answered 403"; err == nil || err.Error() != want {
		t.Fatalf("got %v, want %q", err, want)
	}
}

func TestUploadOfAMissingFileFails(t *testing.T) {
	err := Upload(context.Background(), client, "/no/such/file", "http://127.0.0.1:1/")
	if err == nil || !os.IsNotExist(err) {
		t.Fatalf("got %v", err)
	}
}
