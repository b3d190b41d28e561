package taskbbs

import (
	"context"
	"net/http"
	"os"
	"time"
)

// DefaultURL is the server Connect uses when neither its argument nor TASKBBS_URL names one.
const DefaultURL = "http://127.0.0.1:8080"

// DefaultTimeout bounds each request of a Connection's generated client; the
// events stream is bounded by its context and an idle timeout instead.
const DefaultTimeout = 30 * time.Second

// Connection is the generated client set up with a server and a bearer token,
// plus what the generator cannot make: the events stream and waiting for completion.
type Connection struct {
	*ClientWithResponses
	Server string
	Token  string
	// Stream sends event stream requests; it must have no overall Timeout.
	Stream *http.Client
}

// Connect makes a Connection to server (else TASKBBS_URL, else DefaultURL)
// with token (else TASKBBS_TOKEN; none when both are empty). Requests time
// out after DefaultTimeout unless opts give another HTTP client.
func Connect(server, token string, opts ...ClientOption) (*Connection, error) {
	if server == "" {
		server = os.Getenv("TASKBBS_URL")
	}
	if server == "" {
		server = DefaultURL
	}
	if token == "" {
		token = os.Getenv("TASKBBS_TOKEN")
	}
	c := &Connection{Server: server, Token: token, Stream: &http.Client{}}
	all := append([]ClientOption{WithHTTPClient(&http.Client{Timeout: DefaultTimeout}), WithRequestEditorFn(c.authorize)}, opts...)
	client, err := NewClientWithResponses(server, all...)
	if err != nil {
		return nil, err
	}
	c.ClientWithResponses = client
	return c, nil
}

func (c *Connection) authorize(_ context.Context, req *http.Request) error {
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	return nil
}
