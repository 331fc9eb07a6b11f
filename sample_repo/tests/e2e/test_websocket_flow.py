"""End-to-end test of the WebSocket flow."""
from app.main import create_app
from app.websocket_core.bridge import WebSocketBridge


def test_bridge_records_events():
    create_app()
    bridge = WebSocketBridge("u1")
    bridge.emit("ping", "x")
    assert bridge.sent[0].kind == "ping"
