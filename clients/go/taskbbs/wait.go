package taskbbs

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// ErrTaskRemoved is returned by WaitForCompletion when the task was deleted (or
// is not visible to the token) before it was seen completed.
var ErrTaskRemoved = errors.New("taskbbs: the task was removed before it completed")

// WaitForCompletion returns the task once it is COMPLETED (or RESOLVING:
// completed, its callback under way). It follows the events stream and reads
// the task again whenever the stream was quiet for poll (5 s when zero), since
// a change made while the stream was being opened is not in it. Bound it with ctx.
func (c *Connection) WaitForCompletion(ctx context.Context, guid string, poll time.Duration) (*Task, error) {
	if poll <= 0 {
		poll = 5 * time.Second
	}
	last := ""
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		task, err := c.waitOnce(ctx, guid, poll, &last)
		if task != nil || (err != nil && !errors.Is(err, ErrIdle)) {
			return task, err
		}
	}
}

func (c *Connection) waitOnce(ctx context.Context, guid string, poll time.Duration, last *string) (*Task, error) {
	stream, err := c.FollowEvents(ctx, EventsOptions{LastEventID: *last, IdleTimeout: poll})
	if err != nil {
		return nil, err
	}
	defer stream.Close()
	task, err := c.read(ctx, guid)
	if err != nil || task.State == COMPLETED || task.State == RESOLVING {
		return task, err
	}
	for {
		e, err := stream.Next()
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, err
		}
		if e.Task == nil {
			return nil, ErrIdle // a reset: read the task again
		}
		*last = e.Task.Id
		switch {
		case e.Task.Guid != guid:
		case e.Task.Type == TaskRemoved:
			return nil, ErrTaskRemoved
		case e.Task.State == COMPLETED || e.Task.State == RESOLVING:
			if e.Task.Task != nil {
				return e.Task.Task, nil
			}
			return c.read(ctx, guid)
		}
	}
}

func (c *Connection) read(ctx context.Context, guid string) (*Task, error) {
	got, err := c.GetTaskWithResponse(ctx, guid)
	switch {
	case err != nil:
		return nil, err
	case got.JSON200 != nil:
		return got.JSON200, nil
	case got.StatusCode() == http.StatusNotFound:
		return nil, ErrTaskRemoved
	default:
		return nil, fmt.Errorf("taskbbs: GET /v1/tasks/%s answered %d: %s", guid, got.StatusCode(), got.Body)
	}
}
