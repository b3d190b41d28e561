// The Go client at work: desire a task, wait for it to complete, read its
// result, resolve and delete it, through the package oapi-codegen generated
// from openapi/openapi.json (../taskbbs).
//
//	TASKBBS_URL=http://127.0.0.1:8080 [TASKBBS_TOKEN=…] go run ./example [GUID]
//
// Prints one JSON line of what it saw; exits non-zero on the first surprise.
package main

import (
	"context"
	"encoding/json"
	"fmt"
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

func definition(guid, script string) taskbbs.TaskDefinition {
	resultFile := "result.txt"
	annotation := "desired by the Go client"
	def := taskbbs.TaskDefinition{
		Guid:       guid,
		Domain:     "clients",
		RootFs:     "preloaded:cflinuxfs4",
		ResultFile: &resultFile,
		Annotation: &annotation,
	}
	// The run action is an inline struct in the generated code, whose type
	// changes whenever the schema gains a field: fill it from JSON instead of
	// spelling the type out.
	run, _ := json.Marshal(map[string]any{"run": map[string]any{"path": "sh", "args": []string{"-c", script}, "user": "root"}})
	if err := json.Unmarshal(run, &def.Action); err != nil {
		fail("building the action", err)
	}
	return def
}

func main() {
	ctx := context.Background()
	baseURL := os.Getenv("TASKBBS_URL")
	if baseURL == "" {
		baseURL = "http://127.0.0.1:8080"
	}
	guid := fmt.Sprintf("go-client-%d", time.Now().UnixMilli())
	if len(os.Args) > 1 {
		guid = os.Args[1]
	}
	auth := func(_ context.Context, req *http.Request) error {
		if token := os.Getenv("TASKBBS_TOKEN"); token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		return nil
	}
	client, err := taskbbs.NewClientWithResponses(baseURL, taskbbs.WithRequestEditorFn(auth))
	if err != nil {
		fail("client", err)
	}

	// A bad definition answers 422 with every bad field, parsed as a Problem.
	bad, err := client.DesireTaskWithResponse(ctx, definition("not a guid", "true"))
	if err != nil || bad.ApplicationproblemJSON422 == nil || bad.ApplicationproblemJSON422.Code != taskbbs.VALIDATIONFAILED {
		fail("expected a 422 for a bad guid", string(bad.Body))
	}
	badField := (*bad.ApplicationproblemJSON422.Errors)[0].Field

	desired, err := client.DesireTaskWithResponse(ctx, definition(guid, "echo 42 > result.txt"))
	if err != nil || desired.JSON201 == nil {
		fail("desire failed", err)
	}
	task := *desired.JSON201
	deadline := time.Now().Add(30 * time.Second)
	for task.State != taskbbs.COMPLETED {
		if time.Now().After(deadline) {
			fail("the task did not complete in 30 s", task.State)
		}
		time.Sleep(100 * time.Millisecond)
		got, err := client.GetTaskWithResponse(ctx, guid)
		if err != nil || got.JSON200 == nil {
			fail("get failed", err)
		}
		task = *got.JSON200
	}
	if task.Failed {
		fail("the task failed", task.FailureReason)
	}

	domain, state := "clients", taskbbs.COMPLETED
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

	out, _ := json.Marshal(map[string]any{
		"client":       "go",
		"guid":         guid,
		"result":       strings.TrimSpace(task.Result),
		"bad_field":    badField,
		"after_delete": gone.ApplicationproblemJSON404.Code,
	})
	fmt.Println(string(out))
}
