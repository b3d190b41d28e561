from enum import StrEnum


class TesTaskCreateOutputsItemType(StrEnum):
    DIRECTORY = "DIRECTORY"
    FILE = "FILE"

    def __str__(self) -> str:
        return str(self.value)
