from enum import StrEnum


class TesTaskCreateInputsItemType(StrEnum):
    DIRECTORY = "DIRECTORY"
    FILE = "FILE"

    def __str__(self) -> str:
        return str(self.value)
