from enum import StrEnum


class TaskMetricTagsAdditionalPropertyDynamic(StrEnum):
    INDEX = "INDEX"
    INSTANCE_GUID = "INSTANCE_GUID"

    def __str__(self) -> str:
        return str(self.value)
