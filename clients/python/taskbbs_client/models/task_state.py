from enum import StrEnum


class TaskState(StrEnum):
    COMPLETED = "COMPLETED"
    PENDING = "PENDING"
    RESOLVING = "RESOLVING"
    RUNNING = "RUNNING"

    def __str__(self) -> str:
        return str(self.value)
