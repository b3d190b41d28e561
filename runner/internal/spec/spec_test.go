package spec

import (
	"errors"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

func TestASpecIsReadWithUnknownFieldsIgnored(t *testing.T) {
	s, err := Parse([]byte(`{"version":1,"guid":"task-1","log_source":"APP","future":true,
		"action":{"serial":{"actions":[{"run":{"path":"sh","args":["-c","echo hi"],"user":"root","resource_limits":{"nofile":64}}}]}},
		"result_file":"/out/result.txt","max_pids":12}`))
	if err != nil {
		t.Fatal(err)
	}
	r := s.Action.Serial.Actions[0].Run
	if s.GUID != "task-1" || s.LogSource != "APP" || s.ResultFile != "/out/result.txt" || s.MaxPids != 12 || r.Path != "sh" || *r.ResourceLimits.Nofile != 64 {
		t.Fatalf("%+v", s)
	}
}

func TestTheLogSourceDefaultsToTASK(t *testing.T) {
	s, err := Parse([]byte(`{"version":1,"action":{"run":{"path":"true","user":"root"}}}`))
	if err != nil || s.LogSource != "TASK" {
		t.Fatalf("%v %+v", err, s)
	}
}

func TestBadSpecsAreRefusedNamingTheProblem(t *testing.T) {
	deep := `{"run":{"path":"true","user":"root"}}`
	for i := 0; i < MaxDepth; i++ {
		deep = `{"try":{"action":` + deep + `}}`
	}
	cases := map[string]string{
		`{"version":2,"action":{"run":{"path":"true"}}}`: "spec version 2 is not supported",
		`{"action":{"run":{"path":"true"}}}`:             "spec version 0 is not supported",
		`{"version":1}`:                                  "spec has no action",
		`not json`:                                       "spec is not valid JSON",
		`{"version":1,"action":{}}`:                      "action: must hold exactly one of",
		`{"version":1,"action":{"run":{"path":"a"},"try":{"action":{"run":{"path":"b"}}}}}`: "action: must hold exactly one of",
		`{"version":1,"action":{"serial":{"actions":[]}}}`:                                  "action.serial.actions: must not be empty",
		`{"version":1,"action":{"serial":{"actions":[{"run":{"path":""}}]}}}`:               "action.serial.actions[0].run.path: must not be empty",
		`{"version":1,"action":{"timeout":{"timeout_ms":0,"action":{"run":{"path":"x"}}}}}`: "action.timeout.timeout_ms: must be >= 1",
		`{"version":1,"action":{"emit_progress":{}}}`:                                       "action.emit_progress.action: is missing",
		`{"version":1,"action":` + deep + `}`:                                               "nest deeper than 32",
	}
	for in, want := range cases {
		_, err := Parse([]byte(in))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want %q", in[:min(len(in), 60)], err, want)
		}
	}
}

func TestLoadReportsAnUnreadableFile(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "missing.json"))
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("got %v", err)
	}
}
