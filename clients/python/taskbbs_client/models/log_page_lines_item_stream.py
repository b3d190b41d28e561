from enum import StrEnum


class LogPageLinesItemStream(StrEnum):
    STDERR = "stderr"
    STDOUT = "stdout"
    SYSTEM = "system"

    def __str__(self) -> str:
        return str(self.value)
