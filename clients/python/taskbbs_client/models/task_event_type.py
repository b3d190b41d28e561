from enum import StrEnum


class TaskEventType(StrEnum):
    TASK_CHANGED = "task_changed"
    TASK_CREATED = "task_created"
    TASK_REMOVED = "task_removed"

    def __str__(self) -> str:
        return str(self.value)
