// Package names gives errors and signals the names Node reports for them
// (err.code such as ENOENT, signal names such as SIGTERM), so that failure
// reasons read the same as the local executor's.
package names

import (
	"errors"
	"fmt"
	"io/fs"
	"syscall"
)

var errnos = map[syscall.Errno]string{
	syscall.E2BIG: "E2BIG", syscall.EACCES: "EACCES", syscall.EAGAIN: "EAGAIN",
	syscall.EBADF: "EBADF", syscall.EBUSY: "EBUSY", syscall.ECONNREFUSED: "ECONNREFUSED",
	syscall.ECONNRESET: "ECONNRESET", syscall.EEXIST: "EEXIST", syscall.EFAULT: "EFAULT",
	syscall.EFBIG: "EFBIG", syscall.EHOSTUNREACH: "EHOSTUNREACH", syscall.EINTR: "EINTR",
	syscall.EINVAL: "EINVAL", syscall.EIO: "EIO", syscall.EISDIR: "EISDIR",
	syscall.ELOOP: "ELOOP", syscall.EMFILE: "EMFILE", syscall.ENAMETOOLONG: "ENAMETOOLONG",
	syscall.ENETUNREACH: "ENETUNREACH", syscall.ENFILE: "ENFILE", syscall.ENODEV: "ENODEV",
	syscall.ENOENT: "ENOENT", syscall.ENOEXEC: "ENOEXEC", syscall.ENOMEM: "ENOMEM",
	syscall.ENOSPC: "ENOSPC", syscall.ENOTDIR: "ENOTDIR", syscall.ENOTEMPTY: "ENOTEMPTY",
	syscall.ENXIO: "ENXIO", syscall.EPERM: "EPERM", syscall.EPIPE: "EPIPE",
	syscall.EROFS: "EROFS", syscall.ESRCH: "ESRCH", syscall.ETIMEDOUT: "ETIMEDOUT",
	syscall.ETXTBSY: "ETXTBSY", syscall.EXDEV: "EXDEV", syscall.EDQUOT: "EDQUOT",
}

// libuv words a few errors differently from strerror; Node shows libuv's.
var uvText = map[syscall.Errno]string{
	syscall.EISDIR: "illegal operation on a directory",
}

// Errno is the symbolic name of an errno value ("ENOENT"), or "" if unknown.
func Errno(e syscall.Errno) string { return errnos[e] }

// Code is what Node's `err.code ?? err.message` gives for err: the errno name
// when err wraps a known errno, else the error's text.
func Code(err error) string {
	var e syscall.Errno
	if errors.As(err, &e) {
		if name := Errno(e); name != "" {
			return name
		}
	}
	return err.Error()
}

// Message words a file system error as Node does
// ("ENOENT: no such file or directory, stat '/x'"); other errors keep their text.
func Message(err error) string {
	var pe *fs.PathError
	var e syscall.Errno
	if errors.As(err, &pe) && errors.As(pe.Err, &e) && Errno(e) != "" {
		text, ok := uvText[e]
		if !ok {
			text = e.Error()
		}
		return fmt.Sprintf("%s: %s, %s '%s'", Errno(e), text, pe.Op, pe.Path)
	}
	return err.Error()
}
