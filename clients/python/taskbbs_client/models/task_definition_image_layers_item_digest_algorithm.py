from enum import StrEnum


class TaskDefinitionImageLayersItemDigestAlgorithm(StrEnum):
    SHA256 = "SHA256"
    SHA512 = "SHA512"

    def __str__(self) -> str:
        return str(self.value)
