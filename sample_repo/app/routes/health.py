"""Health check."""
from fastapi import APIRouter

from app.core.config import settings

router = APIRouter()


@router.get("/health")
def health() -> dict:
    return {"app": settings.app_name, "ok": True}
