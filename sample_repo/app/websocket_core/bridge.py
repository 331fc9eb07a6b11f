"""WebSocket bridge between agents and the browser (a golden-path module)."""
from app.websocket_core.events import AgentEvent


class WebSocketBridge:
    def __init__(self, user_id: str) -> None:
        self.user_id = user_id
        self.sent: list = []

    def emit(self, kind: str, payload: str) -> None:
        self.sent.append(AgentEvent(kind=kind, payload=payload))

    def restart_engine(self, context):
        # Imported here to avoid an import cycle at start-up.
        from app.agents.supervisor.execution_engine_factory import ExecutionEngineFactory

        return ExecutionEngineFactory().create_for_user(context)
