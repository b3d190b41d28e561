"""Hand-written companions of the generated ``taskbbs_client``: a client made
from the environment, the events stream, waiting for completion and checking a
completion callback's signature."""

from .connect import connect
from .events import EventStream, Reset, follow_events
from .wait import TaskRemoved, wait_for_completion
from .webhooks import InvalidSignature, verify_callback

__all__ = [
    "EventStream",
    "InvalidSignature",
    "Reset",
    "TaskRemoved",
    "connect",
    "follow_events",
    "verify_callback",
    "wait_for_completion",
]
