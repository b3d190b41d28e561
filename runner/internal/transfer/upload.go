package transfer

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"syscall"
)

// Upload POSTs a file to an http(s) URL as application/octet-stream with its
// length; any answer but 2xx is a failure.
func Upload(ctx context.Context, client *http.Client, file, to string) error {
	fi, err := os.Stat(file)
	if err != nil {
		return err
	}
	if fi.IsDir() {
		return &os.PathError{Op: "read", Path: file, Err: syscall.EISDIR}
	}
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, to, f)
	if err != nil {
		return err
	}
	req.ContentLength = fi.Size()
	req.Header.Set("content-type", "application/octet-stream")
	res, err := client.Do(req)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64*1024))
	res.Body.Close()
	if res.StatusCode < 200 || res.StatusCode > 299 {
		return fmt.Errorf("%s answered %d", to, res.StatusCode)
	}
	return nil
}
