from enum import StrEnum


class TesTaskInputsItemType(StrEnum):
    DIRECTORY = "DIRECTORY"
    FILE = "FILE"

    def __str__(self) -> str:
        return str(self.value)
