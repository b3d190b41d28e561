from enum import StrEnum


class CallbackStatusDeliveryType1AttemptsItemOutcome(StrEnum):
    GIVEN_UP = "given_up"
    RESOLVED = "resolved"
    RETRY_LATER = "retry_later"
    RETRY_NOW = "retry_now"

    def __str__(self) -> str:
        return str(self.value)
