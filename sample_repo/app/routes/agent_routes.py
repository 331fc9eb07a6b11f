"""Agent endpoints: already on the canonical import path."""
from fastapi import APIRouter

from app.agents.supervisor.execution_engine_factory import ExecutionEngineFactory
from app.core.user_execution_context import UserExecutionContext

router = APIRouter()
factory = ExecutionEngineFactory()


@router.post("/agents/run")
def run_agent(user_id: str, request: str) -> str:
    context = UserExecutionContext(user_id=user_id, thread_id="t", run_id="r")
    return factory.create_for_user(context).run(request)
