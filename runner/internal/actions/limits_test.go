package actions

import (
	"fmt"
	"os"
	"testing"
)

func TestNofileIsAppliedAsRLIMIT_NOFILE(t *testing.T) {
	h := newHarness(t)
	expectOK(t, h.run(t, `{"run":{"path":"sh","args":["-c","ulimit -n; ulimit -Hn"],"user":"root","resource_limits":{"nofile":321}}}`))
	equal(t, h.lines(t, "stdout"), []string{"321", "321"})
}

func TestMaxPidsIsAppliedAsRLIMIT_NPROC(t *testing.T) {
	h := newHarness(t)
	h.MaxPids = 77
	// dash has no `ulimit -u`; the kernel's own table says it as well.
	expectOK(t, h.run(t, sh(`grep "^Max processes" /proc/$$/limits | tr -s ' ' | cut -d' ' -f3,4`)))
	equal(t, h.lines(t, "stdout"), []string{"77 77"})
}

func requireRoot(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("switching users needs a root runner")
	}
}

func TestRootRunnerSwitchesToAUserByName(t *testing.T) {
	requireRoot(t)
	h := newHarness(t)
	expectOK(t, h.run(t, `{"run":{"path":"sh","args":["-c","id -u; id -g"],"user":"nobody"}}`))
	id, _ := h.Users.Lookup("nobody")
	equal(t, h.lines(t, "stdout"), []string{fmt.Sprint(id.UID), fmt.Sprint(id.GID)})
	if sys := h.lines(t, "system"); len(sys) != 0 {
		t.Fatalf("unexpected system lines %q", sys)
	}
}

func TestRootRunnerSwitchesToAUserByNumber(t *testing.T) {
	requireRoot(t)
	h := newHarness(t)
	expectOK(t, h.run(t, `{"run":{"path":"sh","args":["-c","id -u; id -g; id -G"],"user":"4321:8765"}}`))
	equal(t, h.lines(t, "stdout"), []string{"4321", "8765", "8765"})
	expectOK(t, h.run(t, `{"run":{"path":"id","args":["-u"],"user":"1"}}`))
	equal(t, h.lines(t, "stdout"), []string{"4321", "8765", "8765", "1"})
}

func TestRootRunnerLimitsHoldAfterTheUserSwitch(t *testing.T) {
	requireRoot(t)
	h := newHarness(t)
	// The shim sets limits while still root (raising a hard limit needs
	// CAP_SYS_RESOURCE), then drops to the user; the limits stay.
	h.MaxPids = 55
	expectOK(t, h.run(t, `{"run":{"path":"sh","args":["-c","id -u; ulimit -Hn; grep -c '^Max processes *55 *55 ' /proc/$$/limits"],"user":"nobody","resource_limits":{"nofile":123}}}`))
	id, _ := h.Users.Lookup("nobody")
	equal(t, h.lines(t, "stdout"), []string{fmt.Sprint(id.UID), "123", "1"})
}

func TestANofileAboveWhatTheRunnerMaySetCannotStart(t *testing.T) {
	h := newHarness(t)
	// Above fs.nr_open no one may set it, root or not.
	expectFailure(t, h.run(t, `{"run":{"path":"true","user":"root","resource_limits":{"nofile":1048577}}}`), "run true: could not start: EPERM")
}

func TestRootRunnerRefusesAnUnknownUser(t *testing.T) {
	requireRoot(t)
	h := newHarness(t)
	expectFailure(t, h.run(t, `{"run":{"path":"true","user":"no-such-user-here"}}`), `run true: could not start: unknown user "no-such-user-here"`)
}

func TestARunnerThatIsNotRootRunsAsItselfAndSaysSoOncePerUser(t *testing.T) {
	h := newHarness(t)
	h.IsRoot = false
	h.UID = 4242 // a uid the users below do not have
	expectOK(t, h.run(t, `{"serial":{"actions":[
		{"run":{"path":"id","args":["-u"],"user":"vcap"}},
		{"run":{"path":"true","user":"vcap"}},
		{"run":{"path":"true","user":"root"}},
		{"run":{"path":"true","user":"nobody","log_source":"APP"}}]}}`))
	equal(t, h.lines(t, "system"), []string{`running as the container's own user, not "vcap"`, `running as the container's own user, not "nobody"`})
	equal(t, h.lines(t, "stdout"), []string{fmt.Sprint(os.Geteuid())})
	if fs := h.frames(t); fs[len(fs)-1].Src != "APP" {
		t.Fatalf("the warning takes the action's log source: %+v", fs)
	}
}
