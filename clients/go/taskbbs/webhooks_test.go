package taskbbs

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"strconv"
	"testing"
	"time"
)

var key = []byte("0123456789abcdef0123456789abcdef")
var secret = "whsec_" + base64.StdEncoding.EncodeToString(key)

func signed(id string, at time.Time, body string) http.Header {
	timestamp := strconv.FormatInt(at.Unix(), 10)
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(id + "." + timestamp + "." + body))
	h := http.Header{}
	h.Set("webhook-id", id)
	h.Set("webhook-timestamp", timestamp)
	h.Set("webhook-signature", "v1,bm90IGl0 v1,"+base64.StdEncoding.EncodeToString(mac.Sum(nil)))
	return h
}

const body = `{"task_guid":"g","failed":false,"failure_reason":"","result":"42\n","annotation":"","created_at":"2026-01-02T03:04:05Z"}`

func TestASignedCallbackVerifies(t *testing.T) {
	now := time.Now()
	callback, err := VerifyCallback(secret, []byte(body), signed("msg_1", now, body), now)
	if err != nil || callback.TaskGuid != "g" || callback.Result != "42\n" {
		t.Fatalf("%+v %v", callback, err)
	}
}

func TestForgedOrStaleCallbacksAreRefused(t *testing.T) {
	now := time.Now()
	cases := map[string]func() (string, []byte, http.Header){
		"altered body": func() (string, []byte, http.Header) {
			return secret, []byte(`{"task_guid":"g","failed":true}`), signed("msg_1", now, body)
		},
		"other id": func() (string, []byte, http.Header) {
			h := signed("msg_1", now, body)
			h.Set("webhook-id", "msg_2")
			return secret, []byte(body), h
		},
		"other secret": func() (string, []byte, http.Header) {
			return "whsec_" + base64.StdEncoding.EncodeToString([]byte("another key of 32 bytes, exactly")), []byte(body), signed("msg_1", now, body)
		},
		"too old": func() (string, []byte, http.Header) {
			return secret, []byte(body), signed("msg_1", now.Add(-6*time.Minute), body)
		},
		"no headers": func() (string, []byte, http.Header) { return secret, []byte(body), http.Header{} },
	}
	for name, make := range cases {
		s, b, h := make()
		if _, err := VerifyCallback(s, b, h, now); !errors.Is(err, ErrInvalidSignature) {
			t.Errorf("%s: got %v, want ErrInvalidSignature", name, err)
		}
	}
}
