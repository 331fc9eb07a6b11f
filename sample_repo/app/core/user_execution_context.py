"""Per-request user execution context (a golden-path module)."""
from dataclasses import dataclass


@dataclass
class UserExecutionContext:
    user_id: str
    thread_id: str
    run_id: str
