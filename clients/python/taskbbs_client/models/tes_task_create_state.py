from enum import StrEnum


class TesTaskCreateState(StrEnum):
    CANCELED = "CANCELED"
    CANCELING = "CANCELING"
    COMPLETE = "COMPLETE"
    EXECUTOR_ERROR = "EXECUTOR_ERROR"
    INITIALIZING = "INITIALIZING"
    PAUSED = "PAUSED"
    PREEMPTED = "PREEMPTED"
    QUEUED = "QUEUED"
    RUNNING = "RUNNING"
    SYSTEM_ERROR = "SYSTEM_ERROR"
    UNKNOWN = "UNKNOWN"

    def __str__(self) -> str:
        return str(self.value)
