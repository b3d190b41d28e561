package actions

import (
	"os"

	"taskbbs.dev/runner/internal/shim"
)

// identity decides who a run action's process runs as. A root runner
// switches to the user from the container's account files; an unknown user
// cannot start (a container runtime refuses it too). A runner that is not
// root cannot switch: the process runs as the runner's own user and the task
// log says so once per user, as the local executor does — unless the user
// asked for is "root" (the local executor's rule) or the runner's own user.
func (x *Executor) identity(user string, cfg *shim.Config, logSource *string) error {
	if x.IsRoot {
		id, err := x.Users.Lookup(user)
		if err != nil {
			return err
		}
		// Already that user (root asking for root): nothing to switch, so a
		// runner without CAP_SETUID/CAP_SETGID still runs it.
		if id.UID == x.UID && int(id.GID) == os.Getegid() {
			return nil
		}
		cfg.Switch, cfg.UID, cfg.GID, cfg.Groups = true, id.UID, id.GID, id.Groups
		return nil
	}
	if user == "root" {
		return nil
	}
	if id, err := x.Users.Lookup(user); err == nil && id.UID == x.UID {
		return nil
	}
	if _, seen := x.warned.LoadOrStore(user, true); !seen {
		x.system(logSource, `running as the container's own user, not "`+user+`"`)
	}
	return nil
}
