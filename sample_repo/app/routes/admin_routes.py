"""Admin endpoints: the registry's ExecutionEngineFactory, a different class."""
from fastapi import APIRouter

from app.agents.registry import ExecutionEngineFactory

router = APIRouter()


@router.get("/admin/agents/{name}")
def describe(name: str) -> dict:
    return {"entry": ExecutionEngineFactory().build(name).name}
