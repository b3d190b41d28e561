from enum import StrEnum


class TaskDefinitionVolumeMountsItemMode(StrEnum):
    R = "r"
    RW = "rw"

    def __str__(self) -> str:
        return str(self.value)
