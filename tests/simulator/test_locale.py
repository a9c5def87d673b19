"""Error details in the node's locale (``--locale zh_CN``, a real management node's default).

Expected texts are the entries of zstackio/zstack ``conf/i18n/messages_zh_CN.properties``; formats
without an entry there stay English, as ``Platform.toI18nString`` falls back to the format.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from pulumi_zstack.simulator.process import SimulatorProcess
from pulumi_zstack.simulator.seed import (
    CLUSTER_1_UUID,
    CLUSTER_2_UUID,
    IMAGESTORE_1_UUID,
    L2_NOVLAN_ETH0_B_UUID,
    L2_NOVLAN_ETH0_UUID,
    L2_OVS_ETH0_UUID,
    L2_VLAN_10_B_UUID,
    L2_VLAN_10_UUID,
    L2_VLAN_100_UUID,
    LOCAL_1_UUID,
    LOCAL_2_UUID,
    NFS_1_UUID,
    SFTP_1_UUID,
    ZONE_1_UUID,
    ZONE_2_UUID,
)
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


def _error(response: object) -> dict[str, object]:
    assert getattr(response, "status_code", None) == 503
    error: dict[str, object] = response.json()["error"]  # type: ignore[attr-defined]
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


# Primary storage and L2 network attachments: the entries of messages_zh_CN.properties for the
# formats of PrimaryStorageApiInterceptor.java, L2NetworkApiInterceptor.java and L2NoVlanNetwork.java.


def test_primary_storage_refusals_are_translated(zh: ZStackHttp) -> None:
    attached = _error(zh.call("POST", f"/clusters/{CLUSTER_1_UUID}/primary-storage/{LOCAL_1_UUID}"))
    assert (attached["code"], attached["details"]) == (
        "SYS.1006",
        f"主存储[uuid:{LOCAL_1_UUID}]已被加载到集群[uuid:{CLUSTER_1_UUID}]上",
    )
    other_zone = _error(zh.call("POST", f"/clusters/{CLUSTER_2_UUID}/primary-storage/{NFS_1_UUID}"))
    assert (other_zone["code"], other_zone["details"]) == (
        "SYS.1007",
        f"主存储[uuid:{NFS_1_UUID}]和集群[uuid:{CLUSTER_2_UUID}]不在同一个区域内",
    )
    url = _error(zh.call("POST", f"/clusters/{CLUSTER_1_UUID}/primary-storage/{LOCAL_2_UUID}"))
    assert url["details"] == "url[/zstack_ps]已经被占用，在相同的集群里它不能再次使用"  # noqa: RUF001
    detached = _error(zh.call("DELETE", f"/clusters/{CLUSTER_1_UUID}/primary-storage/{NFS_1_UUID}"))
    assert (detached["code"], detached["details"]) == (
        "SYS.1007",
        f"主存储[uuid:{NFS_1_UUID}]还未加载到集群[uuid:{CLUSTER_1_UUID}]上",
    )


def test_l2_network_refusals_are_translated(zh: ZStackHttp) -> None:
    attached = _error(zh.call("POST", f"/l2-networks/{L2_NOVLAN_ETH0_UUID}/clusters/{CLUSTER_1_UUID}"))
    assert attached["details"] == (
        f"不能再次挂载二层网络[uuid:{L2_NOVLAN_ETH0_UUID}]，因为已经挂载到集群[uuid:{CLUSTER_1_UUID}]上了"  # noqa: RUF001
    )
    detached = _error(zh.call("DELETE", f"/l2-networks/{L2_VLAN_100_UUID}/clusters/{CLUSTER_1_UUID}"))
    assert detached["details"] == f"二层网络[uuid:{L2_VLAN_100_UUID}]没有挂载到集群上[uuid:{CLUSTER_1_UUID}]"
    vlan = _error(zh.call("POST", f"/l2-networks/{L2_VLAN_10_B_UUID}/clusters/{CLUSTER_1_UUID}"))
    cause = vlan["cause"]
    assert isinstance(cause, dict)
    assert cause["details"] == (
        f"二层网络挂载失败[uuid:{L2_VLAN_10_B_UUID}]: 二层网络[uuid:{L2_VLAN_10_UUID}, name:l2-vlan-10]的"
        f"物理接口[eth1], vlan[10]已经挂载到集群[uuid:{CLUSTER_1_UUID}]上"
    )
    # "attach l2 network failed:%s" has no entry; the cause's JSON inside it is in zh_CN.
    assert vlan["details"] == "attach l2 network failed:" + json.dumps(
        cause, separators=(",", ":"), ensure_ascii=False
    )
    novlan = _error(zh.call("POST", f"/l2-networks/{L2_NOVLAN_ETH0_B_UUID}/clusters/{CLUSTER_1_UUID}"))
    internal = novlan["cause"]
    assert isinstance(internal, dict)
    assert json.loads(internal["details"])["details"] == (
        f"二层网络挂载失败[uuid:{L2_NOVLAN_ETH0_B_UUID}]: "
        f"二层网络[uuid:{L2_NOVLAN_ETH0_UUID}, name:l2-novlan-eth0]的物理接口[eth0]]"
        f"已经挂载到集群[uuid:{CLUSTER_1_UUID}]上"
    )
    # The key of the vSwitch text reads "[uuid\:%]" in the file: it never matches, English stays.
    vswitch = _error(zh.call("POST", f"/l2-networks/{L2_OVS_ETH0_UUID}/clusters/{CLUSTER_1_UUID}"))
    assert vswitch["details"] == (
        f"could not attach l2 network, because there is another network [uuid:{L2_NOVLAN_ETH0_UUID}]"
        " on physical interface [eth0] with different vswitch type"
    )
