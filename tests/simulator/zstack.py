"""Plain ``requests`` calls against the simulator's ZStack API, for the protocol tests.

Deliberately independent of ``pulumi_zstack.client``: these tests pin the wire
protocol itself, so they build every request by hand.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from email.utils import formatdate
from typing import Any

import requests

from pulumi_zstack.simulator.seed import ACCESS_KEY_ID, ACCESS_KEY_SECRET, ADMIN_ACCOUNT, ADMIN_PASSWORD

TIMEOUT = 10


def sha512(password: str) -> str:
    return hashlib.sha512(password.encode()).hexdigest()


class ZStackHttp:
    """The ZStack API of one simulator, with a default session."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.api = f"{url}/zstack/v1"
        self._session: str | None = None

    # -- auth ------------------------------------------------------------------------------------

    def login_response(
        self, account: str = ADMIN_ACCOUNT, password: str = ADMIN_PASSWORD
    ) -> requests.Response:
        body = {"logInByAccount": {"accountName": account, "password": sha512(password)}}
        return requests.put(f"{self.api}/accounts/login", json=body, timeout=TIMEOUT)

    def login(self) -> str:
        response = self.login_response()
        assert response.status_code == 200, response.text
        session: str = response.json()["inventory"]["uuid"]
        return session

    @property
    def session(self) -> str:
        """A session logged in on first use."""
        if self._session is None:
            self._session = self.login()
        return self._session

    def auth(self, session: str | None = None) -> dict[str, str]:
        return {"Authorization": f"OAuth {session or self.session}"}

    def access_key_headers(
        self,
        method: str,
        path: str,
        *,
        key_id: str = ACCESS_KEY_ID,
        secret: str = ACCESS_KEY_SECRET,
        date: str | None = None,
    ) -> dict[str, str]:
        """Headers signing ``method path`` with an access key (``path`` as sent: ``/zstack/v1/...``)."""
        date = date or formatdate(usegmt=True)
        text = f"{method}\n{date}\n{path.removeprefix('/zstack')}"
        signature = base64.b64encode(hmac.new(secret.encode(), text.encode(), hashlib.sha1).digest()).decode()
        return {"Date": date, "Authorization": f"ZStack {key_id}:{signature}"}

    # -- calls -----------------------------------------------------------------------------------

    def get(self, path: str, *, headers: dict[str, str] | None = None, **params: Any) -> requests.Response:
        return requests.get(
            f"{self.api}{path}",
            params=params,
            headers=self.auth() if headers is None else headers,
            timeout=TIMEOUT,
        )

    def inventories(self, path: str, **params: Any) -> list[dict[str, Any]]:
        response = self.get(path, **params)
        assert response.status_code == 200, response.text
        result: list[dict[str, Any]] = response.json()["inventories"]
        return result

    def submit(
        self, method: str, path: str, *, headers: dict[str, str] | None = None, **kwargs: Any
    ) -> requests.Response:
        return requests.request(
            method,
            f"{self.api}{path}",
            headers=self.auth() if headers is None else headers,
            timeout=TIMEOUT,
            **kwargs,
        )

    def wait(self, location: str, timeout: float = 5.0) -> requests.Response:
        """Poll a job location until it is no longer running."""
        deadline = time.monotonic() + timeout
        while True:
            response = requests.get(location, timeout=TIMEOUT)
            if response.status_code != 202 or time.monotonic() > deadline:
                return response
            time.sleep(0.02)

    def call(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """Submit an async call and wait for the job's final answer."""
        submitted = self.submit(method, path, **kwargs)
        assert submitted.status_code == 202, submitted.text
        return self.wait(submitted.json()["location"])

    def attach(self, zone: str, bs: str, **kwargs: Any) -> requests.Response:
        return self.call("POST", f"/zones/{zone}/backup-storage/{bs}", **kwargs)

    def detach(self, zone: str, bs: str, **kwargs: Any) -> requests.Response:
        return self.call("DELETE", f"/zones/{zone}/backup-storage/{bs}", **kwargs)
