package taskbbs

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"
)

// DefaultIdleTimeout: the server sends a comment every
// TASKBBS_EVENTS_HEARTBEAT_INTERVAL (15 s by default), so a stream silent for
// this long is taken as dead.
const DefaultIdleTimeout = 60 * time.Second

// ErrIdle is returned by EventStream.Next when no line came within the idle timeout.
var ErrIdle = errors.New("taskbbs: the events stream was silent for longer than its idle timeout")

// StreamEvent is one event of GET /v1/events: a task change, or (Reset set)
// word that events after the Last-Event-ID sent were pruned: list tasks again, then read on.
type StreamEvent struct {
	Task  *TaskEvent
	Reset string
}

// EventsOptions select and bound an events stream.
type EventsOptions struct {
	Domain      string        // only this domain's events
	LastEventID string        // resume after this event id ("0-0": from the oldest event kept)
	IdleTimeout time.Duration // DefaultIdleTimeout when zero
}

// EventStream reads GET /v1/events. Bound it with the context given to
// FollowEvents; Close it when done.
type EventStream struct {
	body   io.ReadCloser
	lines  *bufio.Reader
	idle   *time.Timer
	wait   time.Duration
	cancel context.CancelFunc
	silent atomic.Bool
}

// FollowEvents opens the events stream.
func (c *Connection) FollowEvents(ctx context.Context, o EventsOptions) (*EventStream, error) {
	query := url.Values{}
	if o.Domain != "" {
		query.Set("domain", o.Domain)
	}
	ctx, cancel := context.WithCancel(ctx)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimSuffix(c.Server, "/")+"/v1/events?"+query.Encode(), nil)
	if err != nil {
		cancel()
		return nil, err
	}
	req.Header.Set("Accept", "text/event-stream")
	if o.LastEventID != "" {
		req.Header.Set("Last-Event-ID", o.LastEventID)
	}
	_ = c.authorize(ctx, req)
	s := &EventStream{cancel: cancel, wait: o.IdleTimeout}
	if s.wait <= 0 {
		s.wait = DefaultIdleTimeout
	}
	s.idle = time.AfterFunc(s.wait, func() { s.silent.Store(true); cancel() })
	res, err := c.Stream.Do(req)
	if err != nil {
		s.Close()
		if s.silent.Load() {
			return nil, ErrIdle
		}
		return nil, err
	}
	if res.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(io.LimitReader(res.Body, 4096))
		res.Body.Close()
		s.Close()
		return nil, fmt.Errorf("taskbbs: GET /v1/events answered %d: %s", res.StatusCode, body)
	}
	s.body, s.lines = res.Body, bufio.NewReader(res.Body)
	return s, nil
}

// Next blocks for the next event. It returns ErrIdle after the idle timeout,
// the context's error once it is done, io.EOF when the server ended the stream.
func (s *EventStream) Next() (StreamEvent, error) {
	event, data := "message", []string{}
	for {
		s.idle.Reset(s.wait)
		line, err := s.lines.ReadString('\n')
		if err != nil {
			if s.silent.Load() {
				return StreamEvent{}, ErrIdle
			}
			return StreamEvent{}, err
		}
		line = strings.TrimRight(line, "\r\n")
		switch {
		case line == "":
			if len(data) == 0 {
				event = "message"
				continue
			}
			payload := []byte(strings.Join(data, "\n"))
			if event == "reset" {
				var reset struct{ Reason string }
				if err := json.Unmarshal(payload, &reset); err != nil {
					return StreamEvent{}, fmt.Errorf("taskbbs: a reset event that is not JSON: %w", err)
				}
				return StreamEvent{Reset: reset.Reason}, nil
			}
			var task TaskEvent
			if err := json.Unmarshal(payload, &task); err != nil {
				return StreamEvent{}, fmt.Errorf("taskbbs: an event that is not a TaskEvent: %w", err)
			}
			return StreamEvent{Task: &task}, nil
		case strings.HasPrefix(line, ":"):
		default:
			name, value, _ := strings.Cut(line, ":")
			value = strings.TrimPrefix(value, " ")
			switch name {
			case "event":
				event = value
			case "data":
				data = append(data, value)
			}
		}
	}
}

// Close ends the stream and its connection.
func (s *EventStream) Close() error {
	s.idle.Stop()
	s.cancel()
	if s.body != nil {
		return s.body.Close()
	}
	return nil
}
