"""One exception root: a program catches every pulumi-zstack failure with ``except PulumiZStackError``,
and the classes users already catch keep their names and bases."""

from __future__ import annotations

import pytest

from pulumi_zstack import (
    AttachmentError,
    PulumiZStackError,
    Settings,
    SettingsError,
    ZStackLookupError,
    get_zone,
)
from pulumi_zstack.backup_storage_zone_attachment import SPEC
from pulumi_zstack.client import ConfigurationError, NotFoundError, ZStackClient, ZStackError
from pulumi_zstack.simulator.process import SimulatorControl
from pulumi_zstack.simulator.seed import ADMIN_ACCOUNT, ADMIN_PASSWORD


def test_a_missing_setting_is_a_pulumi_zstack_error_and_a_value_error() -> None:
    with pytest.raises(PulumiZStackError) as info:
        Settings.resolve(lambda key: None, environ={})
    assert type(info.value) is SettingsError
    assert isinstance(info.value, ValueError)


def test_a_failed_lookup_is_a_pulumi_zstack_error_and_a_value_error(
    sim: SimulatorControl, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ZSTACK_ENDPOINT", sim.url)
    monkeypatch.setenv("ZSTACK_ACCOUNT_NAME", ADMIN_ACCOUNT)
    monkeypatch.setenv("ZSTACK_ACCOUNT_PASSWORD", ADMIN_PASSWORD)
    with pytest.raises(PulumiZStackError) as info:
        get_zone(name="nowhere")
    assert type(info.value) is ZStackLookupError
    assert isinstance(info.value, ValueError)


def test_a_malformed_attachment_id_is_a_pulumi_zstack_error() -> None:
    with pytest.raises(PulumiZStackError) as info:
        SPEC.parse_id("zone-1:imagestore-1")
    assert type(info.value) is AttachmentError


def test_client_errors_are_pulumi_zstack_errors(sim: SimulatorControl) -> None:
    with pytest.raises(PulumiZStackError) as info:
        ZStackClient.from_env({})
    assert type(info.value) is ConfigurationError
    client = ZStackClient(sim.url, account_name=ADMIN_ACCOUNT, account_password=ADMIN_PASSWORD)
    with client, pytest.raises(PulumiZStackError) as info:
        client.zones.get("0" * 32)
    assert type(info.value) is NotFoundError
    assert isinstance(info.value, ZStackError)
