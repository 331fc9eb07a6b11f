"""CI helper: fails when the compatibility layer is imported directly."""
import sys

from app.core.managers.execution_engine_factory import ExecutionEngineFactory

if __name__ == "__main__":
    sys.exit(0 if ExecutionEngineFactory else 1)
