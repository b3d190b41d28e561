package actions

import (
	"context"

	"taskbbs.dev/runner/internal/names"
	"taskbbs.dev/runner/internal/spec"
	"taskbbs.dev/runner/internal/transfer"
)

func (x *Executor) download(ctx context.Context, a *spec.DownloadAction) Outcome {
	name := a.From
	if a.Artifact != nil {
		name = *a.Artifact
	}
	x.system(a.LogSource, "Downloading "+name+"...")
	to, err := x.path(a.To)
	if err != nil {
		return fail("download: " + err.Error())
	}
	d := transfer.Download{From: a.From, ToDir: to, ChecksumAlgorithm: a.ChecksumAlgorithm, ChecksumValue: a.ChecksumValue}
	// Diego gives downloaded files to the action's user; only a root runner can.
	if x.IsRoot && a.User != "" {
		if id, err := x.Users.Lookup(a.User); err == nil {
			d.Owner = &transfer.Owner{UID: int(id.UID), GID: int(id.GID)}
		}
	}
	if err := transfer.Fetch(ctx, x.HTTP, d); err != nil {
		return fail("download: " + names.Message(err))
	}
	x.system(a.LogSource, "Downloaded "+name)
	return ok
}

func (x *Executor) upload(ctx context.Context, a *spec.UploadAction) Outcome {
	from, err := x.path(a.From)
	if err != nil {
		return fail("upload: " + err.Error())
	}
	if err := transfer.Upload(ctx, x.HTTP, from, a.To); err != nil {
		return fail("upload: " + names.Message(err))
	}
	name := a.From
	if a.Artifact != nil {
		name = *a.Artifact
	}
	x.system(a.LogSource, "Uploaded "+name)
	return ok
}
