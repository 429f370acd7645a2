from __future__ import annotations


class Open311Error(Exception):
    """A request refused, as the spec's error list: an HTTP status and one description per
    problem. ``retry_after`` (seconds) accompanies a rate-limit refusal."""

    def __init__(self, status: int, *descriptions: str, retry_after: int | None = None) -> None:
        super().__init__("; ".join(descriptions))
        self.status = status
        self.descriptions = list(descriptions)
        self.retry_after = retry_after
