"""Application entry point: wires the routes together."""
import logging

from fastapi import FastAPI

from app.core.config import settings
from app.routes import admin_routes, agent_routes, health, websocket_routes

logger = logging.getLogger(__name__)


def create_app() -> FastAPI:
    application = FastAPI(title=settings.app_name)
    for module in (admin_routes, agent_routes, health, websocket_routes):
        application.include_router(module.router)
    return application
