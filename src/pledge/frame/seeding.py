"""Demo data: each app contributes what the Pixeljet demo shop needs, in a ``demo.py`` module.

Seeders must be idempotent: ``pledge demo`` runs them on every start.
"""

from collections.abc import Callable

_seeders: list[tuple[int, str, Callable[[], str]]] = []


def demo_seeder(*, order: int):
    """Register ``fn() -> summary`` as a demo seeder; lower ``order`` runs first."""

    def register(fn: Callable[[], str]):
        _seeders.append((order, f"{fn.__module__}.{fn.__qualname__}", fn))
        return fn

    return register


def demo_seeders() -> list[Callable[[], str]]:
    return [fn for _, _, fn in sorted(_seeders, key=lambda entry: entry[:2])]
