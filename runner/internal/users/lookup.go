// Package users resolves a Diego `user` against the container's own
// /etc/passwd and /etc/group, read as files (no cgo, no NSS): the image
// decides who "vcap" is, not the machine that built the runner.
package users

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// Files names the account databases to read.
type Files struct {
	Passwd string
	Group  string
}

// System is the container's own account files.
var System = Files{Passwd: "/etc/passwd", Group: "/etc/group"}

// Identity is what a process runs as.
type Identity struct {
	UID    uint32
	GID    uint32
	Groups []uint32
	Home   string
}

// Lookup resolves "name", "uid", "name:group" or "uid:gid" the way container
// runtimes do: a name must exist in passwd; a number need not (its primary
// group is then 0); the primary group is the passwd entry's unless one is
// given; supplementary groups are those of /etc/group listing the user.
func (f Files) Lookup(user string) (Identity, error) {
	userPart, groupPart, hasGroup := strings.Cut(user, ":")
	if userPart == "" {
		return Identity{}, fmt.Errorf("user %q is empty", user)
	}
	accounts, err := readTable(f.Passwd, 7)
	if err != nil && !os.IsNotExist(err) {
		return Identity{}, err
	}
	var id Identity
	name := ""
	found := false
	uid, numeric := parseID(userPart)
	for _, a := range accounts {
		if (numeric && a[2] == userPart) || (!numeric && a[0] == userPart) {
			u, ok1 := parseID(a[2])
			g, ok2 := parseID(a[3])
			if !ok1 || !ok2 {
				continue
			}
			id = Identity{UID: u, GID: g, Home: a[5]}
			name, found = a[0], true
			break
		}
	}
	if !found && userPart == "root" {
		// Images without account files (scratch, static distroless) still have
		// a root: uid 0, as a container runtime starts them.
		id, found = Identity{UID: 0, GID: 0, Home: "/root"}, true
	}
	if !found {
		if !numeric {
			return Identity{}, fmt.Errorf("unknown user %q", userPart)
		}
		id = Identity{UID: uid, GID: 0, Home: "/"}
	}
	groups, err := readTable(f.Group, 4)
	if err != nil && !os.IsNotExist(err) {
		return Identity{}, err
	}
	if hasGroup {
		gid, ok := parseID(groupPart)
		if !ok {
			matched := false
			for _, g := range groups {
				if g[0] == groupPart {
					if gid, ok = parseID(g[2]); ok {
						matched = true
						break
					}
				}
			}
			if !matched {
				return Identity{}, fmt.Errorf("unknown group %q", groupPart)
			}
		}
		id.GID = gid
	}
	id.Groups = []uint32{id.GID}
	if name != "" && !hasGroup {
		for _, g := range groups {
			gid, ok := parseID(g[2])
			if !ok || gid == id.GID {
				continue
			}
			for _, member := range strings.Split(g[3], ",") {
				if member == name {
					id.Groups = append(id.Groups, gid)
					break
				}
			}
		}
	}
	return id, nil
}

func parseID(s string) (uint32, bool) {
	n, err := strconv.ParseUint(s, 10, 32)
	return uint32(n), err == nil
}

// readTable reads a colon-separated account file, skipping comments and
// lines with fewer than min fields.
func readTable(path string, min int) ([][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var rows [][]string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Split(line, ":")
		if len(fields) < min {
			continue
		}
		rows = append(rows, fields)
	}
	return rows, sc.Err()
}
