"""Supervisor agent: re-exports its factory for convenience."""
from .execution_engine_factory import ExecutionEngineFactory

__all__ = ["ExecutionEngineFactory"]
