"""Tracks user sessions; uses relative imports."""
from ..user_execution_context import UserExecutionContext
from . import execution_engine_factory


class SessionManager:
    def __init__(self) -> None:
        self.factory = execution_engine_factory.ExecutionEngineFactory()

    def open(self, user_id: str) -> UserExecutionContext:
        return UserExecutionContext(user_id=user_id, thread_id="t", run_id="r")
