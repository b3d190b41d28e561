package taskbbs

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// CallbackTolerance is Standard Webhooks' window: older or newer messages are refused as replays.
const CallbackTolerance = 5 * time.Minute

// ErrInvalidSignature: the callback is not signed with the secret, or its timestamp is too far off.
var ErrInvalidSignature = errors.New("taskbbs: the completion callback's signature is not valid")

// VerifyCallback checks a completion callback's Standard Webhooks signature
// (webhook-signature "v1,<base64 HMAC-SHA256 of id.timestamp.body>") with the
// server's TASKBBS_CALLBACK_SIGNING_SECRET ("whsec_" + base64 key) and returns the
// parsed body. body is the raw request body; now is usually time.Now().
func VerifyCallback(secret string, body []byte, header http.Header, now time.Time) (*TaskCallback, error) {
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil {
		return nil, fmt.Errorf("taskbbs: the signing secret is not whsec_ and base64: %w", err)
	}
	id, timestamp := header.Get("webhook-id"), header.Get("webhook-timestamp")
	sent, err := strconv.ParseInt(timestamp, 10, 64)
	if id == "" || err != nil {
		return nil, fmt.Errorf("%w: missing or malformed webhook-id or webhook-timestamp", ErrInvalidSignature)
	}
	if d := now.Sub(time.Unix(sent, 0)); d > CallbackTolerance || d < -CallbackTolerance {
		return nil, fmt.Errorf("%w: webhook-timestamp is too far from now", ErrInvalidSignature)
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(id + "." + timestamp + "."))
	mac.Write(body)
	expected := []byte(base64.StdEncoding.EncodeToString(mac.Sum(nil)))
	for _, signature := range strings.Split(header.Get("webhook-signature"), " ") {
		version, value, _ := strings.Cut(signature, ",")
		if version == "v1" && hmac.Equal([]byte(value), expected) {
			var callback TaskCallback
			if err := json.Unmarshal(body, &callback); err != nil {
				return nil, fmt.Errorf("taskbbs: a signed callback body that is not a TaskCallback: %w", err)
			}
			return &callback, nil
		}
	}
	return nil, fmt.Errorf("%w: no signature matches", ErrInvalidSignature)
}
