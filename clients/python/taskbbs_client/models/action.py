from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.action_codependent import ActionCodependent
    from ..models.action_download import ActionDownload
    from ..models.action_emit_progress import ActionEmitProgress
    from ..models.action_parallel import ActionParallel
    from ..models.action_run import ActionRun
    from ..models.action_serial import ActionSerial
    from ..models.action_timeout import ActionTimeout
    from ..models.action_try import ActionTry
    from ..models.action_upload import ActionUpload


T = TypeVar("T", bound="Action")


@_attrs_define
class Action:
    """Exactly one of run, download, upload, timeout, emit_progress, try, parallel, serial, codependent.

    Attributes:
        run (ActionRun | Unset): Runs a process.
        download (ActionDownload | Unset): Downloads and extracts a file into the container.
        upload (ActionUpload | Unset): Uploads a file from the container.
        timeout (ActionTimeout | Unset):
        emit_progress (ActionEmitProgress | Unset):
        try_ (ActionTry | Unset): Runs the inner action and ignores its failure.
        parallel (ActionParallel | Unset): Runs all at once; fails if any fails, after all finish.
        serial (ActionSerial | Unset): Runs one after another; stops at the first failure.
        codependent (ActionCodependent | Unset): Runs all at once; when any exits, the others are stopped.
    """

    run: ActionRun | Unset = UNSET
    download: ActionDownload | Unset = UNSET
    upload: ActionUpload | Unset = UNSET
    timeout: ActionTimeout | Unset = UNSET
    emit_progress: ActionEmitProgress | Unset = UNSET
    try_: ActionTry | Unset = UNSET
    parallel: ActionParallel | Unset = UNSET
    serial: ActionSerial | Unset = UNSET
    codependent: ActionCodependent | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        run: dict[str, Any] | Unset = UNSET
        if not isinstance(self.run, Unset):
            run = self.run.to_dict()

        download: dict[str, Any] | Unset = UNSET
        if not isinstance(self.download, Unset):
            download = self.download.to_dict()

        upload: dict[str, Any] | Unset = UNSET
        if not isinstance(self.upload, Unset):
            upload = self.upload.to_dict()

        timeout: dict[str, Any] | Unset = UNSET
        if not isinstance(self.timeout, Unset):
            timeout = self.timeout.to_dict()

        emit_progress: dict[str, Any] | Unset = UNSET
        if not isinstance(self.emit_progress, Unset):
            emit_progress = self.emit_progress.to_dict()

        try_: dict[str, Any] | Unset = UNSET
        if not isinstance(self.try_, Unset):
            try_ = self.try_.to_dict()

        parallel: dict[str, Any] | Unset = UNSET
        if not isinstance(self.parallel, Unset):
            parallel = self.parallel.to_dict()

        serial: dict[str, Any] | Unset = UNSET
        if not isinstance(self.serial, Unset):
            serial = self.serial.to_dict()

        codependent: dict[str, Any] | Unset = UNSET
        if not isinstance(self.codependent, Unset):
            codependent = self.codependent.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if run is not UNSET:
            field_dict["run"] = run
        if download is not UNSET:
            field_dict["download"] = download
        if upload is not UNSET:
            field_dict["upload"] = upload
        if timeout is not UNSET:
            field_dict["timeout"] = timeout
        if emit_progress is not UNSET:
            field_dict["emit_progress"] = emit_progress
        if try_ is not UNSET:
            field_dict["try"] = try_
        if parallel is not UNSET:
            field_dict["parallel"] = parallel
        if serial is not UNSET:
            field_dict["serial"] = serial
        if codependent is not UNSET:
            field_dict["codependent"] = codependent

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.action_codependent import ActionCodependent
        from ..models.action_download import ActionDownload
        from ..models.action_emit_progress import ActionEmitProgress
        from ..models.action_parallel import ActionParallel
        from ..models.action_run import ActionRun
        from ..models.action_serial import ActionSerial
        from ..models.action_timeout import ActionTimeout
        from ..models.action_try import ActionTry
        from ..models.action_upload import ActionUpload

        d = dict(src_dict)
        _run = d.pop("run", UNSET)
        run: ActionRun | Unset
        if isinstance(_run, Unset):
            run = UNSET
        else:
            run = ActionRun.from_dict(_run)

        _download = d.pop("download", UNSET)
        download: ActionDownload | Unset
        if isinstance(_download, Unset):
            download = UNSET
        else:
            download = ActionDownload.from_dict(_download)

        _upload = d.pop("upload", UNSET)
        upload: ActionUpload | Unset
        if isinstance(_upload, Unset):
            upload = UNSET
        else:
            upload = ActionUpload.from_dict(_upload)

        _timeout = d.pop("timeout", UNSET)
        timeout: ActionTimeout | Unset
        if isinstance(_timeout, Unset):
            timeout = UNSET
        else:
            timeout = ActionTimeout.from_dict(_timeout)

        _emit_progress = d.pop("emit_progress", UNSET)
        emit_progress: ActionEmitProgress | Unset
        if isinstance(_emit_progress, Unset):
            emit_progress = UNSET
        else:
            emit_progress = ActionEmitProgress.from_dict(_emit_progress)

        _try_ = d.pop("try", UNSET)
        try_: ActionTry | Unset
        if isinstance(_try_, Unset):
            try_ = UNSET
        else:
            try_ = ActionTry.from_dict(_try_)

        _parallel = d.pop("parallel", UNSET)
        parallel: ActionParallel | Unset
        if isinstance(_parallel, Unset):
            parallel = UNSET
        else:
            parallel = ActionParallel.from_dict(_parallel)

        _serial = d.pop("serial", UNSET)
        serial: ActionSerial | Unset
        if isinstance(_serial, Unset):
            serial = UNSET
        else:
            serial = ActionSerial.from_dict(_serial)

        _codependent = d.pop("codependent", UNSET)
        codependent: ActionCodependent | Unset
        if isinstance(_codependent, Unset):
            codependent = UNSET
        else:
            codependent = ActionCodependent.from_dict(_codependent)

        action = cls(
            run=run,
            download=download,
            upload=upload,
            timeout=timeout,
            emit_progress=emit_progress,
            try_=try_,
            parallel=parallel,
            serial=serial,
            codependent=codependent,
        )

        return action
