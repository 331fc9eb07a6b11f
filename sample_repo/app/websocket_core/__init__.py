"""WebSocket plumbing."""
from .events import AgentEvent

__all__ = ["AgentEvent"]
