"""Seeds a development database."""
from app.models import Thread, User


def seed() -> list:
    return [User(), Thread()]
