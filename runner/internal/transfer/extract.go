package transfer

import (
	"archive/tar"
	"archive/zip"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// extract unpacks a tgz, tar or zip file into dir. Every write goes through
// an os.Root on dir, so neither an entry name ("../x", "/etc/x") nor a
// symbolic link planted by an earlier entry can make it write outside dir;
// names that climb out are refused outright with a clear error.
func extract(kind, archive, dir string, owner *Owner) error {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return err
	}
	defer root.Close()
	x := extractor{root: root, dir: dir, owner: owner}
	if kind == "zip" {
		return x.zip(archive)
	}
	f, err := os.Open(archive)
	if err != nil {
		return err
	}
	defer f.Close()
	var r io.Reader = f
	if kind == "tgz" {
		gz, err := gzip.NewReader(f)
		if err != nil {
			return err
		}
		defer gz.Close()
		r = gz
	}
	return x.tar(r)
}

type extractor struct {
	root  *os.Root
	dir   string
	owner *Owner
}

// entryName is an archive member's path inside dir: leading slashes are
// dropped, as tar does; a path that leaves dir is an error.
func (x extractor) entryName(name string) (string, error) {
	clean := filepath.Clean(strings.TrimLeft(name, "/"))
	if clean == "." {
		return "", nil
	}
	if !filepath.IsLocal(clean) {
		return "", fmt.Errorf("archive entry %q would be written outside %s", name, x.dir)
	}
	return clean, nil
}

func (x extractor) tar(r io.Reader) error {
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("reading the tar archive: %w", err)
		}
		name, err := x.entryName(h.Name)
		if err != nil {
			return err
		}
		if name == "" {
			continue
		}
		mode := fs.FileMode(h.Mode).Perm()
		switch h.Typeflag {
		case tar.TypeDir:
			err = x.mkdir(name, mode)
		case tar.TypeReg, tar.TypeRegA:
			err = x.file(name, mode, tr)
		case tar.TypeSymlink:
			err = x.symlink(h.Linkname, name)
		case tar.TypeLink:
			var target string
			if target, err = x.entryName(h.Linkname); err == nil {
				err = x.link(target, name)
			}
		default:
			// Devices, fifos and the like are not something a download needs.
			continue
		}
		if err != nil {
			return err
		}
	}
}

func (x extractor) zip(archive string) error {
	zr, err := zip.OpenReader(archive)
	if err != nil {
		return fmt.Errorf("reading the zip archive: %w", err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		name, err := x.entryName(f.Name)
		if err != nil {
			return err
		}
		if name == "" {
			continue
		}
		mode := f.Mode()
		switch {
		case mode.IsDir():
			err = x.mkdir(name, mode.Perm()|0o700)
		case mode&fs.ModeSymlink != 0:
			err = x.zipEntry(f, func(r io.Reader) error {
				target, err := io.ReadAll(io.LimitReader(r, 4096))
				if err != nil {
					return err
				}
				return x.symlink(string(target), name)
			})
		case mode.IsRegular():
			perm := mode.Perm()
			if perm == 0 {
				perm = 0o644 // zips made on Windows carry no Unix mode
			}
			err = x.zipEntry(f, func(r io.Reader) error { return x.file(name, perm, r) })
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (x extractor) zipEntry(f *zip.File, use func(io.Reader) error) error {
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	return use(rc)
}

func (x extractor) mkdir(name string, perm fs.FileMode) error {
	if err := x.mkdirAll(name); err != nil {
		return err
	}
	if err := x.root.Chmod(name, perm); err != nil {
		return err
	}
	return x.chown(name)
}

// replace makes room for a new entry at name: an existing file or link is
// removed (tar and unzip -o overwrite); parents are created.
func (x extractor) replace(name string) error {
	if err := x.mkdirAll(filepath.Dir(name)); err != nil {
		return err
	}
	if fi, err := x.root.Lstat(name); err == nil && !fi.IsDir() {
		return x.root.Remove(name)
	}
	return nil
}

func (x extractor) file(name string, perm fs.FileMode, r io.Reader) error {
	if err := x.replace(name); err != nil {
		return err
	}
	f, err := x.root.OpenFile(name, os.O_CREATE|os.O_EXCL|os.O_WRONLY, perm)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := x.root.Chmod(name, perm); err != nil {
		return err
	}
	return x.chown(name)
}

func (x extractor) symlink(target, name string) error {
	if err := x.replace(name); err != nil {
		return err
	}
	if err := x.root.Symlink(target, name); err != nil {
		return err
	}
	return x.chown(name)
}

func (x extractor) link(target, name string) error {
	if err := x.replace(name); err != nil {
		return err
	}
	return x.root.Link(target, name)
}

// mkdirAll creates name and its missing parents, giving the owner only the
// directories it creates (never one that was there before).
func (x extractor) mkdirAll(name string) error {
	if name == "." {
		return nil
	}
	prefix := ""
	for _, part := range strings.Split(name, string(filepath.Separator)) {
		prefix = filepath.Join(prefix, part)
		err := x.root.Mkdir(prefix, 0o755)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return err
		}
		if err := x.chown(prefix); err != nil {
			return err
		}
	}
	return nil
}

func (x extractor) chown(name string) error {
	if x.owner == nil {
		return nil
	}
	if err := x.root.Lchown(name, x.owner.UID, x.owner.GID); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}
