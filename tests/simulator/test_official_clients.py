"""Requests exactly as the official SDKs send them, accepted as the management node accepts them.

- Go SDK (terraform-zstack-modules/zstack-sdk-go, ``pkg/client/backup_storage_actions.go``,
  ``zone_actions.go``, ``zstack_http_client.go``): ``AttachBackupStorageToZone`` posts
  ``jsonMarshal(nil)``, i.e. the body ``null``; ``GetZone`` requests ``v1/zones/`` + ``/`` + uuid.
- Java SDK (zstackio/zstack ``sdk/src/main/java/org/zstack/sdk/ZSClient.java``): every non-path
  parameter, ``systemTags`` / ``userTags`` included, goes inside ``{"params": {...}}``.

The node: ``RestServer.handleApi`` turns a null body into an empty map, reads the tags from
``params`` (``rehashObject``) and lets top-level ones override them; ``getMatchPath`` matches
with Spring's ``AntPathMatcher``, which skips empty path segments.
"""

from __future__ import annotations

import requests

from pulumi_zstack.simulator.process import SimulatorControl
from pulumi_zstack.simulator.seed import IMAGESTORE_1_UUID, ZONE_1_UUID
from tests.simulator.zstack import TIMEOUT, ZStackHttp

PAIR_PATH = f"/zones/{ZONE_1_UUID}/backup-storage/{IMAGESTORE_1_UUID}"


def test_go_sdk_attach_with_a_null_body(zs: ZStackHttp) -> None:
    headers = {**zs.auth(), "Content-Type": "application/json; charset=utf-8"}
    submitted = requests.post(f"{zs.api}{PAIR_PATH}", data="null", headers=headers, timeout=TIMEOUT)
    assert submitted.status_code == 202, submitted.text
    finished = zs.wait(submitted.json()["location"])
    assert finished.status_code == 200
    assert finished.json()["inventory"]["attachedZoneUuids"] == [ZONE_1_UUID]


def test_go_sdk_get_zone_with_an_empty_path_segment(zs: ZStackHttp, control: SimulatorControl) -> None:
    answer = requests.get(f"{zs.api}/zones//{ZONE_1_UUID}", headers=zs.auth(), timeout=TIMEOUT)
    assert answer.status_code == 200, answer.text
    assert [z["uuid"] for z in answer.json()["inventories"]] == [ZONE_1_UUID]
    assert control.requests()[-1]["path"] == f"/zstack/v1/zones//{ZONE_1_UUID}"  # logged as sent


def test_java_sdk_tags_inside_params(zs: ZStackHttp, control: SimulatorControl) -> None:
    body = {"params": {"systemTags": ["s::1"], "userTags": ["u"]}}
    assert zs.attach(ZONE_1_UUID, IMAGESTORE_1_UUID, json=body).status_code == 200
    (submit,) = [r for r in control.requests() if r["method"] == "POST"]
    assert (submit["systemTags"], submit["userTags"]) == (["s::1"], ["u"])


def test_top_level_tags_override_those_in_params(zs: ZStackHttp, control: SimulatorControl) -> None:
    body = {"params": {"systemTags": ["in::params"], "userTags": ["kept"]}, "systemTags": ["top::level"]}
    assert zs.attach(ZONE_1_UUID, IMAGESTORE_1_UUID, json=body).status_code == 200
    (submit,) = [r for r in control.requests() if r["method"] == "POST"]
    assert (submit["systemTags"], submit["userTags"]) == (["top::level"], ["kept"])
