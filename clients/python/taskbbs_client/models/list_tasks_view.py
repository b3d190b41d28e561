from enum import StrEnum


class ListTasksView(StrEnum):
    BASIC = "BASIC"
    FULL = "FULL"
    MINIMAL = "MINIMAL"

    def __str__(self) -> str:
        return str(self.value)
