"""Typed models of what users write: inventory entries and their ``data``, provider
profiles, waivers. Validation happens once, before any connection; a mistake is a
:class:`UsageError` in the form ``<file>: <where>.<key>: <what is wrong>; <the fix>``.

Unknown keys are refused with the closest known key ("did you mean keepalive_s?"): a
typo must not silently fall back to a default.
"""

from __future__ import annotations

import difflib
import ssl
import types
import typing
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import ErrorDetails

from fleetaudit import platforms
from fleetaudit.errors import UsageError

YES_NO_WORDS = ("true", "yes", "on", "false", "no", "off")
MAX_REPORTED = 8  # errors listed at once; the rest are counted


def did_you_mean(key: str, known: typing.Iterable[str], noun: str = "keys") -> str:
    """``did you mean keepalive_s?``, or the known keys when none is close.

    >>> did_you_mean("keepalive", ["keepalive_s", "codecs"])
    'did you mean keepalive_s?'
    >>> did_you_mean("zzz", ["b", "a"])
    'known keys: a, b'
    """
    names = sorted(known)
    close = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
    return f"did you mean {close[0]}?" if close else f"known {noun}: {', '.join(names)}"


class Settings(BaseModel):
    """Every model refuses keys it does not know and never changes after loading. Its
    validator is built when first used, not at import: a run validates an inventory, not
    waivers nor a source-of-truth map."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


def _not_bool(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("a yes/no value is not a number")
    return value


Seconds = Annotated[
    float,
    Field(gt=0, allow_inf_nan=False, description="write a number of seconds above 0, e.g. 5"),
]


class Timeouts(Settings):
    """``data.timeouts``: what a dead or slow host may cost."""

    connect: Seconds = 5.0
    command: Seconds = 10.0

    _numbers = field_validator("connect", "command", mode="before")(_not_bool)


class PhoneSettings(Settings):
    """``data.phone``: how the phone's web interface is reached."""

    scheme: Literal["http", "https"] | None = Field(
        None, description="write `scheme: https` (or http where the phone has no TLS)"
    )
    verify: bool | str = Field(
        True,
        description="write true (system CAs), false (no verification) or the path of a "
        "CA file (PEM) that signed the phone's certificate",
    )
    config_server: str | None = Field(
        None, description="write the provisioning server's URL, e.g. http://cucm:6970"
    )

    @field_validator("verify", mode="before")
    @classmethod
    def _ca_file(cls, value: Any) -> Any:
        if isinstance(value, str) and value.strip().lower() in YES_NO_WORDS:  # YAML 1.2 `off`
            raise ValueError("a word, not a yes/no value, in YAML 1.2: write true or false")
        if not isinstance(value, str):
            return value
        path = Path(value).expanduser()
        if not path.is_file():
            raise ValueError(f"CA file {value} does not exist")
        try:
            ssl.create_default_context(cafile=str(path))
        except (OSError, ssl.SSLError) as exc:
            raise ValueError(f"CA file {value} is not a PEM certificate bundle ({exc})") from None
        return str(path)

    @field_validator("config_server")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("not an http:// or https:// URL")
        return value


class LabSettings(Settings):
    """``data.lab``: read by the simulated lab only (fixtures to serve, fault to play)."""

    fixtures: str | None = None
    fault: str | None = None
    command: str | None = None
    version: str | float | None = None
    tls: bool = False
    delay: Annotated[float, Field(ge=0)] = 5.0
    auth: str | None = None


class VoiceTargetsModel(Settings):
    """``voip_targets`` (or ``voip.targets``): values are judged by
    :func:`fleetaudit.policy.load_targets`, whose messages say how to write them."""

    pbx: Any = None
    gateways: Any = None
    phones: Any = None
    phone_vlan: Any = None


class VoipProfile(Settings):
    """A provider profile (``data.voip``, DESIGN §3.1). Port lists, prefixes and yes/no
    words are judged by :func:`fleetaudit.policy.load_policy`."""

    provider: str | None = None
    subnets: Any = None
    any_traffic: Any = None
    signalling: Any = None
    rtp: Any = None
    codecs: list[str] = []
    sip_alg: Any = None
    phone_features_off: list[str] = []
    kbps_per_call: Annotated[int, Field(gt=0)] | None = None
    keepalive_s: Any = None
    transports: Any = None
    targets: VoiceTargetsModel | None = None


class HostData(Settings):
    """A host's, group's or the defaults' ``data``."""

    role: str | None = Field(None, description="write the device role, e.g. gateway")
    site: str | None = None
    zone: (
        Annotated[
            str,
            Field(
                pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$",
                description="write a reachability zone name (letters, digits, - _ .)",
            ),
        ]
        | None
    ) = None  # the queue of `run --dispatch celery` (fleetaudit worker --queue ZONE)
    timeouts: Timeouts | None = None
    phone: PhoneSettings | None = None
    voip: VoipProfile | None = None
    voip_targets: VoiceTargetsModel | None = None
    lab: LabSettings | None = None
    host_key_policy: Literal["strict", "accept-new", "off"] | None = Field(
        None, description="write strict, accept-new or off"
    )
    known_hosts: str | None = Field(None, description="write the path of an OpenSSH known_hosts")

    @field_validator("role")
    @classmethod
    def _served_role(cls, value: str | None) -> str | None:
        known = platforms.roles()
        if value is not None and value not in known:
            raise ValueError(f"no platform serves it; {did_you_mean(value, known, 'roles')}")
        return value


Port = Annotated[int, Field(ge=1, le=65535, description="write a TCP port 1-65535")]
Secret = str | int  # YAML reads `password: 1234` as a number


class ConnectionOptions(Settings):
    hostname: str | None = None
    port: Port | None = None
    username: str | None = None
    password: Secret | None = None
    platform: str | None = None
    extras: dict[str, Any] | None = None


class DefaultsEntry(Settings):
    """``defaults.yaml``: what every host inherits."""

    hostname: str | None = None
    port: Port | None = None
    username: str | None = None
    password: Secret | None = None
    platform: str | None = None
    data: HostData | None = None
    connection_options: dict[str, ConnectionOptions] = {}


class InventoryEntry(DefaultsEntry):
    """A host (``hosts.yaml``) or a group (``groups.yaml``)."""

    groups: list[str] = Field([], description="write a list of group names, e.g. [site_office1]")


class WaiverEntry(Settings):
    """One accepted finding: which, why, until when."""

    check: str = Field(description="write a check ID, e.g. ALG001")
    host: str = Field(description="write a host name or glob, e.g. 'rtr*'")
    subject: str | None = None
    reason: str = Field(min_length=1, description="say why the risk is accepted")
    expires: date = Field(description="write YYYY-MM-DD, the last day the waiver holds")

    @field_validator("check", "host", "reason", "subject", mode="before")
    @classmethod
    def _text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int | float) else value

    @field_validator("expires", mode="before")
    @classmethod
    def _date(cls, value: Any) -> Any:
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        try:
            return datetime.fromisoformat(str(value).strip()).date()
        except ValueError as exc:
            raise ValueError(f"not a date: {exc}") from None


# -- messages ---------------------------------------------------------------------------


def _models_in(annotation: Any) -> list[tuple[type[BaseModel], bool]]:
    """The models an annotation holds, each with whether it sits in a dict's values."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [(annotation, False)]
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is dict and args:
        return [(model, True) for model, _ in _models_in(args[-1])]
    if origin in (Union, types.UnionType, Annotated):
        return [found for arg in args for found in _models_in(arg)]
    return []


def _walk(root: type[BaseModel], loc: tuple[int | str, ...]) -> tuple[Any, set[str]]:
    """The field info at ``loc`` (None when it is not a model's field) and the keys the
    mapping at ``loc`` knows (empty when it is not a model)."""
    model: type[BaseModel] | None = root
    info: Any = None
    skip_key = False  # after a dict[str, Model] field, the next part is the dict's key
    for part in loc:
        if skip_key:
            skip_key = False
            continue
        if model is None or not isinstance(part, str) or part not in model.model_fields:
            return None, set()
        info = model.model_fields[part]
        inner = _models_in(info.annotation)
        model, skip_key = inner[0] if inner else (None, False)
    known = set(model.model_fields) if model is not None and not skip_key else set()
    return info, known


def _path(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return repr(value)


BRANCH_TAGS = ("function-", "literal[", "constrained-", "lax-", "nullable[", "union[", "json-or-")
SCALAR_TAGS = ("str", "int", "float", "bool", "none")


def _branch(part: int | str) -> bool:
    """Whether a location part is pydantic naming a validator or union branch, not a key."""
    return isinstance(part, str) and (part.startswith(BRANCH_TAGS) or part in SCALAR_TAGS)


def _describe(error: ErrorDetails, root: type[BaseModel], where: str) -> tuple[str, str]:
    """(the key, the message naming it)."""
    loc = tuple(p for p in error["loc"] if not _branch(p))
    path = _path(loc)
    key = f"{where}{path[1:] if where.endswith(' ') else path}"
    if error["type"] == "extra_forbidden":
        return key, f"{key}: unknown key; {did_you_mean(str(loc[-1]), _walk(root, loc[:-1])[1])}"
    info, _ = _walk(root, loc)
    fix = getattr(info, "description", None) if info is not None else None
    if error["type"] in ("model_type", "dict_type", "model_attributes_type"):
        what = f"expected a mapping of settings, got {_kind(error['input'])}"
        fix = fix or "write `key: value` lines under it"
    elif error["type"] == "missing":
        parent = _path(loc[:-1])
        owner = f"{where}{parent[1:] if where.endswith(' ') else parent}".rstrip(": ")
        return key, f"{owner}: `{loc[-1]}` is required" + (f"; {fix}" if fix else "")
    else:
        message = error["msg"].removeprefix("Value error, ")
        what = f"{_kind(error['input'])} is not valid ({message})"
    return key, f"{key}: {what}" + (f"; {fix}" if fix else "")


def explain(error: ValidationError, root: type[BaseModel], where: str) -> str:
    """Every mistake pydantic found, one line each, named by file and key."""
    by_key: dict[str, str] = {}  # a union's branches each complain: keep the first
    for detail in error.errors():
        key, line = _describe(detail, root, where)
        by_key.setdefault(key, line)
    seen = list(by_key.values())
    more = len(seen) - MAX_REPORTED
    return "\n  ".join(seen[:MAX_REPORTED] + ([f"... and {more} more"] if more > 0 else []))


M = typing.TypeVar("M", bound=BaseModel)


def validated(model: type[M], data: Any, where: str) -> M:
    """``data`` as ``model``, or a :class:`UsageError` naming ``where`` and each bad key."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise UsageError(explain(exc, model, where)) from None
