"""Executes requests; reaches the factory through a module alias."""
import app.core.managers.execution_engine_factory as eef_compat
from app.core.user_execution_context import UserExecutionContext


def execute(user_id: str, request: str) -> str:
    context = UserExecutionContext(user_id=user_id, thread_id="t", run_id="r")
    factory = eef_compat.ExecutionEngineFactory()
    return factory.create_for_user(context).run(request)
