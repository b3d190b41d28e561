// The Go client at work, used from another module as a user would: desire a
// task, wait for it to complete by following the events stream, read its
// result, resolve and delete it; replay and resume the events stream; receive
// a completion callback and check its signature.
//
//	TASKBBS_URL=http://127.0.0.1:8080 TASKBBS_TOKEN=… TASKBBS_DOMAIN=demo \
//	[TASKBBS_CALLBACK_SIGNING_SECRET=whsec_…] go run ./example [GUID]
//
// The callback part needs a server in development mode (callbacks to loopback
// are refused otherwise) and its signing secret. Prints one JSON line of what
// it saw; exits non-zero on the first surprise.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"taskbbs.example/clients/go/taskbbs"
)

func fail(what string, detail any) {
	fmt.Fprintf(os.Stderr, "%s: %+v\n", what, detail)
	os.Exit(1)
}

func definition(guid, domain, script, callbackURL string) taskbbs.TaskDefinition {
	args := []string{"-c", script}
	resultFile := "result.txt"
	annotation := "desired by the Go client"
	def := taskbbs.TaskDefinition{
		Guid:       guid,
		Domain:     domain,
		RootFs:     "preloaded:cflinuxfs4",
		ResultFile: &resultFile,
		Annotation: &annotation,
	}
	if callbackURL != "" {
		def.CompletionCallbackUrl = &callbackURL
	}
	// The generator gives the run action an anonymous struct type: fill it through JSON.
	if err := json.Unmarshal([]byte(`{"run":{"path":"sh","user":"root"}}`), &def.Action); err != nil {
		fail("action", err)
	}
	def.Action.Run.Args = &args
	return def
}

type received struct {
	header http.Header
	body   []byte
}

// receiveCallbacks serves POSTs on a loopback port and hands each over.
func receiveCallbacks() (string, <-chan received) {
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fail("listen", err)
	}
	got := make(chan received, 4)
	go http.Serve(listener, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		got <- received{r.Header, body}
	}))
	return "http://" + listener.Addr().String() + "/done", got
}

func main() {
	ctx := context.Background()
	domain := os.Getenv("TASKBBS_DOMAIN")
	if domain == "" {
		domain = "default"
	}
	guid := fmt.Sprintf("go-client-%d", time.Now().UnixMilli())
	if len(os.Args) > 1 {
		guid = os.Args[1]
	}
	seen := map[string]any{"client": "go", "guid": guid}
	client, err := taskbbs.Connect("", "") // TASKBBS_URL, TASKBBS_TOKEN
	if err != nil {
		fail("client", err)
	}

	// A bad definition answers 422 with every bad field, parsed as a Problem.
	bad, err := client.DesireTaskWithResponse(ctx, definition("not a guid", domain, "true", ""))
	if err != nil || bad.ApplicationproblemJSON422 == nil || bad.ApplicationproblemJSON422.Code != taskbbs.VALIDATIONFAILED {
		fail("expected a 422 for a bad guid", err)
	}
	seen["bad_field"] = (*bad.ApplicationproblemJSON422.Errors)[0].Field

	// A domain the token does not cover: 403 (no token at all: the server may allow it).
	elsewhere, err := client.DesireTaskWithResponse(ctx, definition(guid+"-elsewhere", domain+"-elsewhere", "true", ""))
	if err != nil {
		fail("desire elsewhere", err)
	}
	seen["other_domain"] = elsewhere.StatusCode()
	if elsewhere.ApplicationproblemJSON403 != nil {
		seen["other_domain"] = elsewhere.ApplicationproblemJSON403.Code
	}

	desired, err := client.DesireTaskWithResponse(ctx, definition(guid, domain, "echo 42 > result.txt", ""))
	if err != nil || desired.JSON201 == nil {
		fail("desire failed", err)
	}
	waitCtx, cancel := context.WithTimeout(ctx, time.Minute)
	task, err := client.WaitForCompletion(waitCtx, guid, 0)
	cancel()
	if err != nil {
		fail("wait", err)
	}
	if task.Failed {
		fail("the task failed", task.FailureReason)
	}
	seen["result"] = strings.TrimSpace(task.Result)

	state := taskbbs.COMPLETED
	listed, err := client.ListTasksWithResponse(ctx, &taskbbs.ListTasksParams{Domain: &domain, State: &state})
	if err != nil || listed.JSON200 == nil {
		fail("list failed", err)
	}
	found := false
	for _, t := range listed.JSON200.Tasks {
		found = found || t.Guid == guid
	}
	if !found {
		fail("the completed task is not listed", listed.JSON200.Tasks)
	}
	resolving, err := client.ResolvingTaskWithResponse(ctx, guid)
	if err != nil || resolving.JSON200 == nil || resolving.JSON200.State != taskbbs.RESOLVING {
		fail("resolving failed", err)
	}
	deleted, err := client.DeleteTaskWithResponse(ctx, guid)
	if err != nil || deleted.StatusCode() != http.StatusNoContent {
		fail("delete failed", err)
	}
	gone, err := client.GetTaskWithResponse(ctx, guid)
	if err != nil || gone.ApplicationproblemJSON404 == nil {
		fail("expected a 404 after delete", err)
	}
	seen["after_delete"] = gone.ApplicationproblemJSON404.Code

	// The task's whole history from the oldest event kept ("0-0"), then again
	// resumed after its first event: the same events but the first, none twice.
	history := func(after string) []taskbbs.TaskEvent {
		ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		stream, err := client.FollowEvents(ctx, taskbbs.EventsOptions{Domain: domain, LastEventID: after})
		if err != nil {
			fail("events", err)
		}
		defer stream.Close()
		events := []taskbbs.TaskEvent{}
		for {
			e, err := stream.Next()
			if err != nil {
				fail("events", err)
			}
			if e.Task == nil || e.Task.Guid != guid {
				continue
			}
			events = append(events, *e.Task)
			if e.Task.Type == taskbbs.TaskRemoved {
				return events
			}
		}
	}
	replayed := history("0-0")
	resumed := history(replayed[0].Id)
	names, same := []string{}, len(resumed) == len(replayed)-1
	for i, e := range replayed {
		names = append(names, fmt.Sprintf("%s:%s", e.Type, e.State))
		same = same && (i == 0 || resumed[i-1].Id == e.Id)
	}
	seen["events"], seen["resumed_after_first"] = names, same

	if secret := os.Getenv("TASKBBS_CALLBACK_SIGNING_SECRET"); secret != "" {
		// A completion callback, its signature checked; the same body altered is refused.
		url, got := receiveCallbacks()
		if _, err := client.DesireTaskWithResponse(ctx, definition(guid+"-cb", domain, "echo 7 > result.txt", url)); err != nil {
			fail("desire with a callback", err)
		}
		var r received
		select {
		case r = <-got:
		case <-time.After(time.Minute):
			fail("no callback", "within a minute")
		}
		callback, err := taskbbs.VerifyCallback(secret, r.body, r.header, time.Now())
		if err != nil {
			fail("verify", err)
		}
		forged := []byte(strings.Replace(string(r.body), `"7`, `"8`, 1))
		_, err = taskbbs.VerifyCallback(secret, forged, r.header, time.Now())
		seen["forged_refused"] = errors.Is(err, taskbbs.ErrInvalidSignature)
		seen["callback"] = map[string]string{"task_guid": callback.TaskGuid, "result": strings.TrimSpace(callback.Result)}
	}

	out, _ := json.Marshal(seen)
	fmt.Println(string(out))
}
