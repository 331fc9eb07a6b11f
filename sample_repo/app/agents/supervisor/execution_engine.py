"""Runs agents for one user."""
from app.websocket_core.bridge import WebSocketBridge


class ExecutionEngine:
    def __init__(self, context) -> None:
        self.context = context
        self.bridge = WebSocketBridge(context.user_id)

    def run(self, request: str) -> str:
        self.bridge.emit("agent_started", request)
        return request
