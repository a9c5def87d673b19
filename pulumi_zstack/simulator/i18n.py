r"""Error details in the management node's locale.

The node renders the details of an error with ``Platform.toI18nString(fmt, args)``
(``core/src/main/java/org/zstack/core/Platform.java``): the English format string is the key
looked up in ``conf/i18n/messages_<locale>.properties`` for ``CoreGlobalProperty.LOCALE``
(``locale``, default ``zh_CN``, ``core/src/main/java/org/zstack/core/CoreGlobalProperty.java``);
a key with no translation falls back to ``String.format(fmt, args)``, i.e. English. Error
*descriptions* come from ``conf/errorCodes/*.xml`` and are never translated.

:data:`ZH_CN` holds, verbatim, the ``messages_zh_CN.properties`` entries of the formats this
simulator produces. Formats it produces that have no entry there, and so stay English on a
``zh_CN`` node too: ``Session expired`` (``identity/.../Session.java``), ``invalid field[%s],
resource[uuid:%s, type:%s] not found`` (``portal/.../PortApiValidator.java``), ``field[%s] of
message[%s] is mandatory, can not be null`` (``header/.../ApiMessageParamValidator.java``), ``attach
l2 network failed:%s`` (``L2NoVlanNetwork.java``), ``could not attach l2 network, because there is
another network [uuid:%s] on physical interface [%s] with different vswitch type``
(``L2NetworkApiInterceptor.java``; its entry's key reads ``[uuid\:%]``, so it never matches) and the
simulator's other ``SYS.1007`` texts.
"""

from __future__ import annotations

import re

LOCALES = ("en_US", "zh_CN")
"""The locales the simulator answers in (``--locale``)."""

ZH_CN: dict[str, str] = {
    # messages_zh_CN.properties, key "backup\ storage[uuid\:%s]\ has\ been\ attached\ to\ zone[uuid\:%s]"
    # (storage/.../BackupStorageApiInterceptor.java, validate(APIAttachBackupStorageToZoneMsg)).
    "backup storage[uuid:%s] has been attached to zone[uuid:%s]": (
        "镜像服务器[uuid:{0}]已经被加载到zone[uuid:{1}]"
    ),
    # key "backup\ storage[uuid\:%s]\ has\ not\ been\ attached\ to\ zone[uuid\:%s]"
    # (BackupStorageApiInterceptor.java, validate(APIDetachBackupStorageFromZoneMsg)).
    "backup storage[uuid:%s] has not been attached to zone[uuid:%s]": (
        "镜像服务器[uuid:{0}]没有被加载到zone[uuid:{1}]"
    ),
    # storage/.../primary/PrimaryStorageApiInterceptor.java, validate(APIAttachPrimaryStorageToClusterMsg)
    # and validate(APIDetachPrimaryStorageFromClusterMsg); keys "primary\ storage[uuid\:%s]\ has\ been..."
    "primary storage[uuid:%s] has been attached to cluster[uuid:%s]": (
        "主存储[uuid:{0}]已被加载到集群[uuid:{1}]上"
    ),
    "primary storage[uuid:%s] has not been attached to cluster[uuid:%s] yet": (
        "主存储[uuid:{0}]还未加载到集群[uuid:{1}]上"
    ),
    "primary storage[uuid:%s] and cluster[uuid:%s] are not in the same zone": (
        "主存储[uuid:{0}]和集群[uuid:{1}]不在同一个区域内"
    ),
    "url[%s] has been occupied, it cannot be duplicate in same cluster": (
        "url[{0}]已经被占用，在相同的集群里它不能再次使用"  # noqa: RUF001 - verbatim
    ),
    # network/.../l2/L2NetworkApiInterceptor.java, validate(APIAttachL2NetworkToClusterMsg) and
    # validate(APIDetachL2NetworkFromClusterMsg).
    "l2Network[uuid:%s] has attached to cluster[uuid:%s], can't attach again": (
        "不能再次挂载二层网络[uuid:{0}]，因为已经挂载到集群[uuid:{1}]上了"  # noqa: RUF001 - verbatim
    ),
    "l2Network[uuid:%s] has not attached to cluster[uuid:%s]": "二层网络[uuid:{0}]没有挂载到集群上[uuid:{1}]",
    # network/.../l2/L2NoVlanNetwork.java, attachL2NetworkToCluster (the "]]" is in the file).
    "There has been a l2Network[uuid:%s, name:%s] attached to cluster[uuid:%s] that has physical"
    " interface[%s]. Failed to attach l2Network[uuid:%s]": (
        "二层网络挂载失败[uuid:{4}]: 二层网络[uuid:{0}, name:{1}]的物理接口[{3}]]已经挂载到集群[uuid:{2}]上"
    ),
    "There has been a L2VlanNetwork[uuid:%s, name:%s] attached to cluster[uuid:%s] that has physical"
    " interface[%s], vlan[%s]. Failed to attach L2VlanNetwork[uuid:%s]": (
        "二层网络挂载失败[uuid:{5}]: 二层网络[uuid:{0}, name:{1}]的物理接口[{3}], vlan[{4}]"
        "已经挂载到集群[uuid:{2}]上"
    ),
    # key "wrong\ account\ name\ or\ password" (identity/.../AccountLoginBackend.java).
    "wrong account name or password": "错误信息: 错误的帐号或密码",
}

_PLACEHOLDER = re.compile(r"\{(\d+)\}")


def localise(locale: str, fmt: str, args: tuple[str, ...] = ()) -> str:
    """``fmt`` (a Java ``%s`` format) with ``args``, in ``locale`` when it has a translation."""
    translated = ZH_CN.get(fmt) if locale == "zh_CN" else None
    if translated is None:
        return fmt % args if args else fmt
    return _PLACEHOLDER.sub(lambda m: args[int(m.group(1))], translated)
