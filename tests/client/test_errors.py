"""Mapping ZStack error bodies to exceptions, and what the messages say."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pulumi_zstack.client import (
    AuthenticationError,
    JobFailedError,
    JobTimeoutError,
    NotFoundError,
    PermissionDeniedError,
    ZStackAPIError,
    ZStackError,
)
from pulumi_zstack.client._decode import api_error

FIXTURES = Path(__file__).parent / "fixtures"


def error(code: str, details: str = "x", **extra: str) -> dict[str, str]:
    return {"code": code, "description": "desc", "details": details, **extra}


def test_already_attached_message_is_one_actionable_line() -> None:
    body = json.loads((FIXTURES / "error_already_attached.json").read_text())["error"]
    exc = api_error(body, status=503, operation="AttachBackupStorageToZone", job_uuid="j" * 32)
    assert type(exc) is JobFailedError
    assert str(exc) == (
        "AttachBackupStorageToZone failed: SYS.1006 An operation failed: backup storage"
        "[uuid:3f9d2c1b0a8e4f7d9c6b5a4e3d2c1b0a] has been attached to "
        "zone[uuid:6b1a3c7e2d4f4a1b9c8d7e6f5a4b3c21]"
    )
    assert (exc.code, exc.status, exc.operation, exc.job_uuid) == (
        "SYS.1006",
        503,
        "AttachBackupStorageToZone",
        "j" * 32,
    )


@pytest.mark.parametrize(
    ("body", "cls"),
    [
        (error("ID.1000"), AuthenticationError),
        (error("ID.1001"), AuthenticationError),
        (error("ORG_ZSTACK_IDENTITY_10020"), AuthenticationError),
        (error("ID.1002"), PermissionDeniedError),
        (error("SYS.1003"), NotFoundError),
        (
            error("SYS.1003", "invalid field[zoneUuid], resource[uuid:a, type:ZoneVO] not found"),
            NotFoundError,
        ),
        (error("ID.1000", "错误信息: 错误的帐号或密码"), AuthenticationError),
        (error("BS.1001"), ZStackAPIError),
    ],
)
def test_codes_map_to_classes(body: dict[str, str], cls: type[ZStackAPIError]) -> None:
    exc = api_error(body, status=503, operation="Op")
    assert type(exc) is cls


@pytest.mark.parametrize(
    "details",
    [
        # messages_en_US / messages_zh_CN.properties of the management node: the same refusal.
        "backup storage[uuid:a] has been attached to zone[uuid:b]",
        "镜像服务器[uuid:a]已经被加载到zone[uuid:b]",
        "backup storage[uuid:a] has not been attached to zone[uuid:b]",
        "镜像服务器[uuid:a]没有被加载到zone[uuid:b]",
    ],
)
def test_sys_1006_is_classified_by_code_whatever_the_wording(details: str) -> None:
    exc = api_error(error("SYS.1006", details), status=503, operation="Op", job_uuid="j")
    assert type(exc) is JobFailedError
    assert exc.code == "SYS.1006" and exc.details == details


def test_extra_keys_of_an_error_body_are_ignored() -> None:
    # A real node adds its elaboration (ErrorCode.java: elaboration, messages, cost, location).
    body = {
        **error("BS.1001", "agent unreachable"),
        "elaboration": "错误信息: 无法连接\n",
        "messages": {"code": "x", "message_cn": "…", "message_en": "…"},
        "cost": "0.1s",
        "location": "BackupStorageBase.java:773",
    }
    exc = api_error(body, status=503, operation="Op", job_uuid="j")
    assert str(exc) == "Op failed: BS.1001 desc: agent unreachable"


def test_other_job_failures_are_job_failed_errors() -> None:
    exc = api_error(error("BS.1001", "agent unreachable"), status=503, operation="Op", job_uuid="j")
    assert type(exc) is JobFailedError
    assert str(exc) == "Op failed: BS.1001 desc: agent unreachable"


def test_message_is_single_line_even_when_the_server_sends_newlines() -> None:
    exc = api_error(error("SYS.1000", "line one\n  at Foo.bar()\n"), status=503, operation="Op")
    assert "\n" not in str(exc)
    assert str(exc) == "Op failed: SYS.1000 desc: line one at Foo.bar()"


def test_job_timeout_message_names_job_operation_and_outcome() -> None:
    exc = JobTimeoutError(operation="DetachBackupStorageFromZone", job_uuid="f" * 32, timeout=1.5)
    assert isinstance(exc, ZStackError)
    assert "f" * 32 in str(exc)
    assert "DetachBackupStorageFromZone" in str(exc)
    assert "may still finish" in str(exc)
