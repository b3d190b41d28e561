from enum import StrEnum


class TaskVolumeMountsItemMode(StrEnum):
    R = "r"
    RW = "rw"

    def __str__(self) -> str:
        return str(self.value)
