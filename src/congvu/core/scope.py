"""The set of org subtrees a user may act on, as plain data that services can filter with."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scope:
    """Materialised-path prefixes of the org subtrees in reach; ``everything`` for national admins."""

    paths: tuple[str, ...]
    everything: bool = False

    def covers(self, path: str) -> bool:
        return self.everything or any(path.startswith(p) for p in self.paths)

    @property
    def empty(self) -> bool:
        return not self.everything and not self.paths
