"""Where a management node answers: the endpoint URL and safe path segments."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from .errors import ConfigurationError

DEFAULT_PORT = 8080
DEFAULT_CONTEXT_PATH = "zstack"


def path_segment(value: str) -> str:
    """Quote one path segment (a uuid) so it can never change the shape of the URL."""
    return quote(value, safe="")


@dataclass(frozen=True)
class Endpoint:
    """Where the management node answers: ``scheme://host:port/<context path>``."""

    scheme: str
    host: str
    port: int
    context_path: str

    @classmethod
    def parse(cls, endpoint: str, context_path: str = DEFAULT_CONTEXT_PATH) -> Endpoint:
        """Parse ``http(s)://host[:port][/context]`` or a bare ``host[:port]`` (http, port 8080).

        A path in the URL is the context path and wins over ``context_path``; a trailing
        ``/v1`` is ignored. Raises :class:`ConfigurationError` for anything else.
        """
        hint = "parameter endpoint, env ZSTACK_ENDPOINT (or ZSTACK_HOST/ZSTACK_PORT)"
        text = endpoint.strip()
        shown = re.sub(r"//[^/@]*@", "//***@", text)
        if not text:
            raise ConfigurationError(f"the ZStack endpoint is empty ({hint})")
        has_scheme = "://" in text
        try:
            parts = urlsplit(text if has_scheme else f"http://{text}")
            port = parts.port
        except ValueError as exc:
            raise ConfigurationError(f"malformed ZStack endpoint {shown!r}: {exc} ({hint})") from None
        if parts.scheme not in ("http", "https"):
            raise ConfigurationError(
                f"malformed ZStack endpoint {shown!r}: scheme must be http or https ({hint})"
            )
        if not parts.hostname or parts.username or parts.password or parts.query or parts.fragment:
            raise ConfigurationError(
                f"malformed ZStack endpoint {shown!r}: expected http(s)://host[:port][/context-path] ({hint})"
            )
        if port is None:
            port = DEFAULT_PORT if not has_scheme else (443 if parts.scheme == "https" else 80)
        path = parts.path.strip("/")
        if path == "v1" or path.endswith("/v1"):
            path = path[:-2].rstrip("/")
        return cls(parts.scheme, parts.hostname, port, path or context_path.strip("/"))

    @property
    def base_url(self) -> str:
        """``scheme://host:port[/context]``, what every API path is appended to."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        context = f"/{self.context_path}" if self.context_path else ""
        return f"{self.scheme}://{host}:{self.port}{context}"

    def url(self, path: str) -> str:
        """The full URL of an API path such as ``/v1/zones``."""
        return self.base_url + path
