"""Old formatting module: dead, the formatting/ package shadows it."""


def format_name(name: str) -> str:
    return name.title()
