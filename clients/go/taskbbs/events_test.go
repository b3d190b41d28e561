package taskbbs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// stream serves GET /v1/events with body, then holds the connection open until the client leaves.
func stream(t *testing.T, body string, seen func(*http.Request)) *Connection {
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen(r)
		w.Header().Set("Content-Type", "text/event-stream")
		fmt.Fprint(w, body)
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	}))
	t.Cleanup(server.Close)
	c, err := Connect(server.URL, "secret-token")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestEventsAreTypedAndCommentsSkipped(t *testing.T) {
	var req *http.Request
	c := stream(t, "retry: 1000\n\n: keep-alive\n\n"+
		"id: 1-2\nevent: task_changed\ndata: {\"id\":\"1-2\",\"type\":\"task_changed\",\"guid\":\"g\",\"domain\":\"d\",\"state\":\"RUNNING\",\"at\":\"2026-01-02T03:04:05Z\"}\n\n"+
		"event: reset\ndata: {\"reason\":\"pruned\"}\n\n", func(r *http.Request) { req = r })
	s, err := c.FollowEvents(context.Background(), EventsOptions{Domain: "d", LastEventID: "1-1"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	first, err := s.Next()
	if err != nil || first.Task == nil || first.Task.Id != "1-2" || first.Task.Type != TaskChanged || first.Task.State != RUNNING || first.Task.At.Year() != 2026 {
		t.Fatalf("first event: %+v %v", first, err)
	}
	second, err := s.Next()
	if err != nil || second.Task != nil || second.Reset != "pruned" {
		t.Fatalf("second event: %+v %v", second, err)
	}
	if req.Header.Get("Last-Event-ID") != "1-1" || req.URL.Query().Get("domain") != "d" || req.Header.Get("Authorization") != "Bearer secret-token" {
		t.Fatalf("request: %v %v", req.Header, req.URL)
	}
}

func TestASilentStreamEndsWithErrIdle(t *testing.T) {
	c := stream(t, "retry: 1000\n\n", func(*http.Request) {})
	s, err := c.FollowEvents(context.Background(), EventsOptions{IdleTimeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	started := time.Now()
	if _, err := s.Next(); !errors.Is(err, ErrIdle) || time.Since(started) > 5*time.Second {
		t.Fatalf("got %v after %v", err, time.Since(started))
	}
}

func TestTheContextBoundsTheStream(t *testing.T) {
	c := stream(t, ": keep-alive\n\n", func(*http.Request) {})
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	s, err := c.FollowEvents(ctx, EventsOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Next(); err == nil || errors.Is(err, ErrIdle) || errors.Is(err, io.EOF) {
		t.Fatalf("got %v, want the context's end", err)
	}
}

func TestARefusedStreamIsAnError(t *testing.T) {
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"code":"UNAUTHORIZED"}`)
	}))
	defer server.Close()
	c, _ := Connect(server.URL, "")
	if _, err := c.FollowEvents(context.Background(), EventsOptions{}); err == nil {
		t.Fatal("no error for a 401")
	}
}
