"""WebSocket endpoint: uses the compatibility layer as a module."""
from fastapi import APIRouter

from app.core.managers import execution_engine_factory as compat
from app.websocket_core.bridge import WebSocketBridge

router = APIRouter()


@router.websocket("/ws")
async def websocket_endpoint(user_id: str) -> None:
    bridge = WebSocketBridge(user_id)
    bridge.emit("connected", user_id)
    compat.ExecutionEngineFactory()
