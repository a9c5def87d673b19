"""Keeping credentials out of messages and logs: known secrets, credential-shaped headers and
session uuids in paths are replaced by ``***``."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

_CREDENTIAL = re.compile(r"\b(OAuth|ZStack)\s+(?:[^\s:]+:[A-Za-z0-9+/=]{8,}|[0-9a-fA-F-]{16,})")
_SESSION_PATH = re.compile(r"(/accounts/sessions/)[^/\s\"?]+")


class _RedactSessionPaths(logging.Filter):
    """Hide the session uuid in the logout path that ``urllib3`` logs at DEBUG."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                redact_session_path(arg) if isinstance(arg, str) else arg for arg in record.args
            )
        return True


def redact_urllib3_logs() -> None:
    """Install the filter that hides session uuids in ``urllib3``'s DEBUG lines (once)."""
    pool_logger = logging.getLogger("urllib3.connectionpool")
    if not any(isinstance(f, _RedactSessionPaths) for f in pool_logger.filters):
        pool_logger.addFilter(_RedactSessionPaths())


def redact(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every secret and anything shaped like a credential replaced by ``***``."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return _CREDENTIAL.sub(r"\1 ***", text)


def redact_session_path(path: str) -> str:
    """``path`` with the session uuid of a ``/accounts/sessions/<uuid>`` path replaced by ``***``."""
    return _SESSION_PATH.sub(r"\1***", path)
