"""The canonical ExecutionEngineFactory: the single source of truth."""
from __future__ import annotations

from typing import TYPE_CHECKING

from app.agents.supervisor.execution_engine import ExecutionEngine

if TYPE_CHECKING:
    from app.core.user_execution_context import UserExecutionContext


class ExecutionEngineFactory:
    """Creates one ExecutionEngine per user execution context."""

    def __init__(self, max_engines: int = 10) -> None:
        self.max_engines = max_engines
        self._engines: dict = {}

    def create_for_user(self, context: UserExecutionContext) -> ExecutionEngine:
        engine = ExecutionEngine(context)
        self._engines[context.user_id] = engine
        return engine
