from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.log_page_lines_item_stream import LogPageLinesItemStream

T = TypeVar("T", bound="LogPageLinesItem")


@_attrs_define
class LogPageLinesItem:
    """
    Attributes:
        seq (int): Position in the task output; pass the last one as after_seq to read on.
        at (datetime.datetime):
        source (str): The action log_source, else the task log_source, else TASK.
        stream (LogPageLinesItemStream):
        line (str):
    """

    seq: int
    at: datetime.datetime
    source: str
    stream: LogPageLinesItemStream
    line: str

    def to_dict(self) -> dict[str, Any]:
        seq = self.seq

        at = self.at.isoformat()

        source = self.source

        stream = self.stream.value

        line = self.line

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "seq": seq,
                "at": at,
                "source": source,
                "stream": stream,
                "line": line,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        seq = d.pop("seq")

        at = datetime.datetime.fromisoformat(d.pop("at"))

        source = d.pop("source")

        stream = LogPageLinesItemStream(d.pop("stream"))

        line = d.pop("line")

        log_page_lines_item = cls(
            seq=seq,
            at=at,
            source=source,
            stream=stream,
            line=line,
        )

        return log_page_lines_item
