from enum import StrEnum


class TaskDefinitionImageLayersItemMediaType(StrEnum):
    TAR = "TAR"
    TGZ = "TGZ"
    ZIP = "ZIP"

    def __str__(self) -> str:
        return str(self.value)
