"""COMPATIBILITY LAYER: import ExecutionEngineFactory from
app.agents.supervisor.execution_engine_factory instead.

Kept so that old import paths keep working; carries a fallback copy in
case the canonical module cannot be imported.
"""
import logging

logger = logging.getLogger(__name__)

try:
    from app.agents.supervisor.execution_engine_factory import (
        ExecutionEngineFactory as _CanonicalExecutionEngineFactory,
    )

    ExecutionEngineFactory = _CanonicalExecutionEngineFactory
except ImportError:
    logger.warning("canonical ExecutionEngineFactory unavailable; using fallback")

    class ExecutionEngineFactory:
        """Fallback copy: a second, diverging implementation."""

        def __init__(self, max_engines: int = 5) -> None:
            self.max_engines = max_engines

        def create_for_user(self, context):
            raise RuntimeError("execution engines unavailable")


__all__ = ["ExecutionEngineFactory"]
