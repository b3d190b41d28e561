// bbsdriver drives a BBS server with the official Diego BBS Go client
// (code.cloudfoundry.org/bbs). It reads one JSON command per line on stdin and
// answers one JSON line per command on stdout, so that a test can assert on
// each call of the real client against taskbbs.
//
//	{"op":"desire","guid":"g","domain":"d","definition":{…BBS TaskDefinition JSON…}}
//	{"op":"get","guid":"g"}   {"op":"list","domain":"d","cell_id":"c"}
//	{"op":"cancel"|"resolving"|"delete","guid":"g"}   {"op":"ping"}
//	{"op":"subscribe"}   {"op":"next_event"}   {"op":"close_events"}
//
// Answers: {"ok":true, …} or {"ok":false,"error":{"type":"ResourceNotFound","message":"…"}}.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"time"

	"code.cloudfoundry.org/bbs"
	"code.cloudfoundry.org/bbs/events"
	"code.cloudfoundry.org/bbs/models"
	"code.cloudfoundry.org/lager/v3"
)

type command struct {
	Op         string                 `json:"op"`
	Guid       string                 `json:"guid"`
	Domain     string                 `json:"domain"`
	CellID     string                 `json:"cell_id"`
	Definition *models.TaskDefinition `json:"definition"`
}

type answer struct {
	OK    bool            `json:"ok"`
	Error *bbsError       `json:"error,omitempty"`
	Task  *models.Task    `json:"task,omitempty"`
	Tasks []*models.Task  `json:"tasks,omitempty"`
	Ping  *bool           `json:"ping,omitempty"`
	Event *eventJSON      `json:"event,omitempty"`
	Raw   json.RawMessage `json:"raw,omitempty"`
	Ms    float64         `json:"ms"`
}

type bbsError struct {
	Type    string `json:"type"`
	Message string `json:"message"`
}

type eventJSON struct {
	Type   string       `json:"type"`
	Task   *models.Task `json:"task,omitempty"`
	Before *models.Task `json:"before,omitempty"`
	After  *models.Task `json:"after,omitempty"`
}

func toError(err error) *bbsError {
	if err == nil {
		return nil
	}
	if e, ok := err.(*models.Error); ok {
		return &bbsError{Type: e.Type.String(), Message: e.Message}
	}
	return &bbsError{Type: "client", Message: err.Error()}
}

func main() {
	url := flag.String("url", "", "BBS URL, http://… or https://…")
	ca := flag.String("ca", "", "CA of the server certificate (mutual TLS)")
	cert := flag.String("cert", "", "client certificate (mutual TLS)")
	key := flag.String("key", "", "client key (mutual TLS)")
	flag.Parse()

	var client bbs.Client
	var err error
	if *cert != "" {
		client, err = bbs.NewClient(*url, *ca, *cert, *key, 0, 0)
	} else {
		client, err = bbs.NewClientWithConfig(bbs.ClientConfig{URL: *url, IsTLS: false, RequestTimeout: 10 * time.Second})
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "cannot make the BBS client:", err)
		os.Exit(2)
	}
	logger := lager.NewLogger("bbsdriver")
	logger.RegisterSink(lager.NewWriterSink(os.Stderr, lager.ERROR))

	var source events.EventSource
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 16<<20)
	out := json.NewEncoder(os.Stdout)
	for in.Scan() {
		var c command
		if err := json.Unmarshal(in.Bytes(), &c); err != nil {
			_ = out.Encode(answer{Error: &bbsError{Type: "driver", Message: "bad command: " + err.Error()}})
			continue
		}
		a := answer{}
		start := time.Now()
		switch c.Op {
		case "ping":
			p := client.Ping(logger, "trace-ping")
			a.Ping = &p
		case "desire":
			err = client.DesireTask(logger, "trace-desire", c.Guid, c.Domain, c.Definition)
			a.Error = toError(err)
		case "get":
			a.Task, err = client.TaskByGuid(logger, "trace-get", c.Guid)
			a.Error = toError(err)
		case "list":
			a.Tasks, err = client.TasksWithFilter(logger, "trace-list", models.TaskFilter{Domain: c.Domain, CellID: c.CellID})
			a.Error = toError(err)
		case "cancel":
			a.Error = toError(client.CancelTask(logger, "trace-cancel", c.Guid))
		case "resolving":
			a.Error = toError(client.ResolvingTask(logger, "trace-resolving", c.Guid))
		case "delete":
			a.Error = toError(client.DeleteTask(logger, "trace-delete", c.Guid))
		case "subscribe":
			source, err = client.SubscribeToTaskEvents(logger)
			a.Error = toError(err)
		case "next_event":
			var e models.Event
			e, err = source.Next()
			a.Error = toError(err)
			if err == nil {
				ev := &eventJSON{Type: e.EventType()}
				switch t := e.(type) {
				case *models.TaskCreatedEvent:
					ev.Task = t.Task
				case *models.TaskChangedEvent:
					ev.Before, ev.After = t.Before, t.After
				case *models.TaskRemovedEvent:
					ev.Task = t.Task
				}
				a.Event = ev
			}
		case "close_events":
			if source != nil {
				a.Error = toError(source.Close())
			}
		default:
			fmt.Fprintln(os.Stderr, "unknown op:", c.Op)
			os.Exit(2)
		}
		a.OK = a.Error == nil
		a.Ms = float64(time.Since(start).Microseconds()) / 1000
		if err := out.Encode(a); err != nil {
			os.Exit(3)
		}
	}
}
