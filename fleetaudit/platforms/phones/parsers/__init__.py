"""Vendor answers and provisioning files -> platform-neutral phone facts.

Each vendor's configuration is first read into ``{parameter: (value, line)}`` (the
REST/JSON answer, an XML provisioning file, a ``key = value`` file: whichever the output
is), then one function per vendor turns parameters into :class:`PhoneAccount` facts. So
a provisioning file and the live phone serving it give the same accounts.

Registered with ``@source`` like napalm getters: ``parse_host`` runs them on evidence
keyed by the vendor call's command (``fleetaudit.platforms.phones.vendors``). One module per
vendor (``poly``, ``cisco``, ``yealink``, ``grandstream``), what they share in ``common``;
importing this package registers them all.
"""

from __future__ import annotations

from fleetaudit.platforms.phones.parsers.cisco import cisco_accounts
from fleetaudit.platforms.phones.parsers.common import (
    CODECS,
    Params,
    codec_name,
    json_body,
    normal_mac,
)
from fleetaudit.platforms.phones.parsers.grandstream import (
    GRANDSTREAM_CODECS,
    grandstream_accounts,
    grandstream_params,
)
from fleetaudit.platforms.phones.parsers.poly import poly_accounts, poly_params
from fleetaudit.platforms.phones.parsers.yealink import yealink_accounts, yealink_ini_params

__all__ = [
    "CODECS",
    "GRANDSTREAM_CODECS",
    "Params",
    "cisco_accounts",
    "codec_name",
    "grandstream_accounts",
    "grandstream_params",
    "json_body",
    "normal_mac",
    "poly_accounts",
    "poly_params",
    "yealink_accounts",
    "yealink_ini_params",
]
