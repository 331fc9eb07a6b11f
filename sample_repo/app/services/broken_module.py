"""Half-edited module with a syntax error; imports around it still count."""
from app.core.config import settings


def describe(:
    return settings.app_name


from app.utils.helpers import slugify
