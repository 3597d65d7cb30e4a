"""Where the broker and the result backend are, and the bounds of a distributed run: from
the environment, checked before anything connects."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from fleetaudit.errors import UsageError

BROKER_VAR = "FLEETAUDIT_BROKER_URL"
RESULT_VAR = "FLEETAUDIT_RESULT_URL"
DELIVERIES_VAR = "FLEETAUDIT_MAX_DELIVERIES"
VISIBILITY_VAR = "FLEETAUDIT_VISIBILITY_TIMEOUT"
DEFAULT_QUEUE = "fleetaudit"
SITE_LOGINS = 10  # SSH logins at once within one site, unless --workers says otherwise


@dataclass(frozen=True)
class ClusterSettings:
    broker_url: str
    result_url: str
    #: deliveries of one site's task before it is reported not assessed (a worker was lost
    #: during each one)
    max_deliveries: int = 3
    #: seconds before Redis hands an unacknowledged task (its worker died) to another worker;
    #: a site audited longer than this makes a second delivery wait for the first one's
    #: answer (see ``ledger``), holding a worker process meanwhile
    visibility_timeout_s: int = 600


def from_environment(env: Mapping[str, str] | None = None) -> ClusterSettings:
    """The settings from ``FLEETAUDIT_BROKER_URL`` (required; ``redis://``),
    ``FLEETAUDIT_RESULT_URL`` (default: the broker), ``FLEETAUDIT_MAX_DELIVERIES`` (3) and
    ``FLEETAUDIT_VISIBILITY_TIMEOUT`` (seconds, 600).

    >>> from_environment({"FLEETAUDIT_BROKER_URL": "redis://127.0.0.1:6379/0"}).result_url
    'redis://127.0.0.1:6379/0'
    """
    env = os.environ if env is None else env
    broker = env.get(BROKER_VAR, "").strip()
    if not broker:
        raise UsageError(
            f"{BROKER_VAR} is not set: set it to the Redis broker workers and the dispatcher "
            f"share, e.g. {BROKER_VAR}=redis://127.0.0.1:6379/0 "
            f"({RESULT_VAR} defaults to the same server)"
        )
    result = env.get(RESULT_VAR, "").strip() or broker
    for name, url in ((BROKER_VAR, broker), (RESULT_VAR, result)):
        if not url.startswith(("redis://", "rediss://", "unix://")):
            raise UsageError(
                f"{name}={url}: only Redis is supported; give redis://HOST:PORT/DB "
                "(or rediss:// for TLS)"
            )
    return ClusterSettings(
        broker,
        result,
        _positive(env, DELIVERIES_VAR, 3),
        _positive(env, VISIBILITY_VAR, 600),
    )


def _positive(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise UsageError(f"{name}={raw}: give a whole number, 1 or more (default {default})")
    return int(raw)


def queue_of(zone: str | None) -> str:
    """The queue a site's task goes to: its reachability zone's, else the default one.

    >>> queue_of("zone-a"), queue_of(None)
    ('fleetaudit.zone-a', 'fleetaudit')
    """
    return f"{DEFAULT_QUEUE}.{zone}" if zone else DEFAULT_QUEUE


def reachable(settings: ClusterSettings) -> None:
    """The broker and the result backend answer (a wrong URL is a usage error, said
    before any task is sent or any device is reached)."""
    import redis

    for name, url in ((BROKER_VAR, settings.broker_url), (RESULT_VAR, settings.result_url)):
        try:
            redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3).ping()
        except (redis.RedisError, OSError, ValueError) as exc:
            raise UsageError(
                f"{name}={url}: Redis does not answer ({exc}); start it or fix the URL"
            ) from exc
