"""Error details in the node's locale (``--locale zh_CN``, a real management node's default).

Expected texts are the entries of zstackio/zstack ``conf/i18n/messages_zh_CN.properties``; formats
without an entry there stay English, as ``Platform.toI18nString`` falls back to the format.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pulumi_zstack.simulator.process import SimulatorProcess
from pulumi_zstack.simulator.seed import IMAGESTORE_1_UUID, SFTP_1_UUID, ZONE_1_UUID, ZONE_2_UUID
from tests.conftest import reset_control
from tests.simulator.zstack import ZStackHttp

MISSING = "0" * 32


@pytest.fixture(scope="module")
def zh_process() -> Iterator[SimulatorProcess]:
    with SimulatorProcess(job_delay=0.05, locale="zh_CN") as process:
        yield process


@pytest.fixture
def zh(zh_process: SimulatorProcess) -> Iterator[ZStackHttp]:
    for _ in reset_control(zh_process.url):
        yield ZStackHttp(zh_process.url)


def _error(response: object) -> dict[str, str]:
    assert getattr(response, "status_code", None) == 503
    error: dict[str, str] = response.json()["error"]  # type: ignore[attr-defined]
    return error


def test_attach_of_an_attached_pair_is_translated(zh: ZStackHttp) -> None:
    assert _error(zh.attach(ZONE_2_UUID, SFTP_1_UUID)) == {
        "code": "SYS.1006",
        "description": "An operation failed",  # descriptions (conf/errorCodes) are not translated
        "details": f"镜像服务器[uuid:{SFTP_1_UUID}]已经被加载到zone[uuid:{ZONE_2_UUID}]",
    }


def test_detach_of_a_detached_pair_is_translated(zh: ZStackHttp) -> None:
    assert _error(zh.detach(ZONE_1_UUID, IMAGESTORE_1_UUID))["details"] == (
        f"镜像服务器[uuid:{IMAGESTORE_1_UUID}]没有被加载到zone[uuid:{ZONE_1_UUID}]"
    )


def test_failed_login_is_translated(zh: ZStackHttp) -> None:
    error = _error(zh.login_response(password="wrong"))
    assert (error["code"], error["details"]) == ("ID.1000", "错误信息: 错误的帐号或密码")


def test_texts_without_a_translation_stay_english(zh: ZStackHttp) -> None:
    assert _error(zh.attach(MISSING, IMAGESTORE_1_UUID))["details"] == (
        f"invalid field[zoneUuid], resource[uuid:{MISSING}, type:ZoneVO] not found"
    )
    expired = zh.get("/zones", headers=zh.auth("1" * 32))
    assert _error(expired)["details"] == "Session expired"
