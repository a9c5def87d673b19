"""The root of every exception pulumi-zstack raises on purpose.

One ``except PulumiZStackError`` catches them all::

    PulumiZStackError
    ├── SettingsError      (also ValueError) a zstack:* setting is missing or malformed
    ├── ZStackLookupError  (also ValueError) get_zone / get_backup_storage matched 0 or >1
    ├── AttachmentError    an attachment operation failed (one line)
    └── ZStackError        anything the REST client raises (:mod:`pulumi_zstack.client.errors`)

This module imports nothing, so the client (which has no Pulumi dependency) can derive from it.
"""

from __future__ import annotations

__all__ = ["PulumiZStackError"]


class PulumiZStackError(Exception):
    """Root of every error raised on purpose by :mod:`pulumi_zstack` and :mod:`pulumi_zstack.client`."""
