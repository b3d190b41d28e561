package users

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func fakeFiles(t *testing.T) Files {
	dir := t.TempDir()
	passwd := "# comment\nroot:x:0:0:root:/root:/bin/bash\nvcap:x:2000:2000::/home/vcap:/bin/sh\nbroken:x:notanumber:1::/:/bin/sh\nshort:x:7\nweb:x:33:33:www:/var/www:/bin/false\n"
	group := "root:x:0:\nvcap:x:2000:\ndocker:x:999:vcap,web\nstaff:x:50:web\nadm:x:4:vcapx\n"
	f := Files{Passwd: filepath.Join(dir, "passwd"), Group: filepath.Join(dir, "group")}
	os.WriteFile(f.Passwd, []byte(passwd), 0o644)
	os.WriteFile(f.Group, []byte(group), 0o644)
	return f
}

func TestUsersResolveByNameAndNumberAsContainerRuntimesDo(t *testing.T) {
	f := fakeFiles(t)
	cases := map[string]Identity{
		"root":       {UID: 0, GID: 0, Groups: []uint32{0}, Home: "/root"},
		"vcap":       {UID: 2000, GID: 2000, Groups: []uint32{2000, 999}, Home: "/home/vcap"},
		"web":        {UID: 33, GID: 33, Groups: []uint32{33, 999, 50}, Home: "/var/www"},
		"2000":       {UID: 2000, GID: 2000, Groups: []uint32{2000, 999}, Home: "/home/vcap"},
		"4321":       {UID: 4321, GID: 0, Groups: []uint32{0}, Home: "/"},
		"4321:8765":  {UID: 4321, GID: 8765, Groups: []uint32{8765}, Home: "/"},
		"vcap:staff": {UID: 2000, GID: 50, Groups: []uint32{50}, Home: "/home/vcap"},
		"vcap:123":   {UID: 2000, GID: 123, Groups: []uint32{123}, Home: "/home/vcap"},
	}
	for user, want := range cases {
		got, err := f.Lookup(user)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %+v %v, want %+v", user, got, err, want)
		}
	}
}

func TestUnknownNamesAreErrors(t *testing.T) {
	f := fakeFiles(t)
	for user, want := range map[string]string{
		"nobody-here": `unknown user "nobody-here"`,
		"broken":      `unknown user "broken"`,
		"vcap:nogrp":  `unknown group "nogrp"`,
		"":            `user "" is empty`,
	} {
		if _, err := f.Lookup(user); err == nil || err.Error() != want {
			t.Errorf("%s: got %v, want %s", user, err, want)
		}
	}
}

func TestMissingAccountFilesStillResolveNumbers(t *testing.T) {
	f := Files{Passwd: "/no/passwd", Group: "/no/group"}
	got, err := f.Lookup("1000:1000")
	if err != nil || got.UID != 1000 || got.GID != 1000 {
		t.Fatalf("%+v %v", got, err)
	}
	if root, err := f.Lookup("root"); err != nil || root.UID != 0 || root.GID != 0 {
		t.Fatalf("root without a passwd file: %+v %v", root, err)
	}
	if _, err := f.Lookup("vcap"); err == nil {
		t.Fatal("a name resolved without a passwd file")
	}
}
