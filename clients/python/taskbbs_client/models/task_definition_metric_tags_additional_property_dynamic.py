from enum import StrEnum


class TaskDefinitionMetricTagsAdditionalPropertyDynamic(StrEnum):
    INDEX = "INDEX"
    INSTANCE_GUID = "INSTANCE_GUID"

    def __str__(self) -> str:
        return str(self.value)
