"""No password, secret, session uuid or signature in errors, logs or reprs (DEBUG logging on)."""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable

import pytest

from pulumi_zstack.client import ZStackClient, ZStackError
from pulumi_zstack.simulator.process import SimulatorControl
from tests.client.client_support import ACCESS_KEY_ID, ACCESS_KEY_SECRET, IMAGESTORE_1, SFTP_1, ZONE_1, ZONE_2

MakeClient = Callable[..., ZStackClient]
WRONG_PASSWORD = "Wr0ng-Pa55-7c1e"
BS_PASSWORD = "Bs-Pa55-91ab"


def test_nothing_secret_is_logged_or_raised(
    make_client: MakeClient, control: SimulatorControl, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    texts: list[str] = []

    def expect_error(call: Callable[[], object]) -> None:
        with pytest.raises(ZStackError) as info:
            call()
        texts.extend([str(info.value), repr(info.value)])

    session_client = make_client()
    texts.append(repr(session_client))
    session_client.zones.query()
    control.expire_sessions()
    session_client.backup_storage.attach_to_zone(ZONE_1, IMAGESTORE_1)  # re-login and resubmit
    control.expire_sessions()
    session_client.zones.count()  # re-login on a query
    expect_error(lambda: session_client.backup_storage.attach_to_zone(ZONE_2, SFTP_1))
    session_client.backup_storage.add_sftp(
        name="s", url="/s", hostname="h", username="root", password=BS_PASSWORD
    )
    control.add_fault(
        method="GET",
        path="/v1/zones$",
        action="status",
        status=400,
        body="bad Authorization OAuth 0123456789abcdef0123456789abcdef",
    )
    expect_error(session_client.zones.query)
    sessions = session_client._auth.secrets()  # every session this client ever held
    session_client.close()

    expect_error(make_client(account_password=WRONG_PASSWORD).zones.query)

    key_client = make_client(access_key_id=ACCESS_KEY_ID, access_key_secret=ACCESS_KEY_SECRET)
    texts.append(repr(key_client))
    key_client.backup_storage.detach_from_zone(ZONE_1, IMAGESTORE_1)
    expect_error(make_client(access_key_id=ACCESS_KEY_ID, access_key_secret="X" * 39).zones.query)

    everything = "\n".join([*texts, *(record.getMessage() for record in caplog.records)])
    assert "/accounts/sessions/***" in everything  # the logout was logged, redacted
    forbidden = [
        WRONG_PASSWORD,
        hashlib.sha512(WRONG_PASSWORD.encode()).hexdigest(),
        hashlib.sha512(b"password").hexdigest(),
        BS_PASSWORD,
        ACCESS_KEY_SECRET,
        "X" * 39,
        "0123456789abcdef0123456789abcdef",
        *[s for s in sessions if re.fullmatch(r"[0-9a-f]{32}", s)],
    ]
    assert len(sessions) >= 3
    for secret in forbidden:
        assert secret not in everything
    assert not re.search(r"OAuth [0-9a-f]{8}|ZStack \S+:\S{8}", everything)
