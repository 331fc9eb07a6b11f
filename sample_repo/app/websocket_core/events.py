"""Event payloads sent to the browser."""
from dataclasses import dataclass


@dataclass
class AgentEvent:
    kind: str
    payload: str
