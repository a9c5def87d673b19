"""Error details in the management node's locale.

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
message[%s] is mandatory, can not be null`` (``header/.../ApiMessageParamValidator.java``) and the
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
