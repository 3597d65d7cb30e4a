"""``sot.yaml``: how fleetaudit reads a source of truth's devices.

.. code-block:: yaml

    platforms:          # the SoT's platform *name* -> a fleetaudit platform name
      Cisco IOS: <a fleetaudit platform; the demo's inventory/sot.yaml maps them all>
    roles:              # the SoT's device role *name* -> fleetaudit role
      Voice Gateway: gateway
    context_key: fleetaudit       # config-context key holding port, groups and data
    port_custom_field: ssh_port   # optional: a custom field with the management port
    page_size: 200                # optional: Nautobot devices a request (else its default);
                                  # NetBox is asked for all and pages at its MAX_PAGE_SIZE

The file is found at ``$FLEETAUDIT_SOT_CONFIG``, else ``./inventory/sot.yaml``, else the
bundled demo's; the ``groups.yaml`` and ``defaults.yaml`` next to it hold credentials.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field, ValidationError, field_validator

from fleetaudit import platforms
from fleetaudit.errors import UsageError
from fleetaudit.paths import builtin_dir
from fleetaudit.settings import HostData, Settings, validated
from fleetaudit.yamlfile import load_yaml

CONFIG_FILE = "sot.yaml"


class SotConfig(Settings):
    platforms: dict[str, str] = Field(
        description="map each platform name of the source of truth to a fleetaudit platform"
    )
    roles: dict[str, str] = Field(
        description="map each device role name of the source of truth to a fleetaudit role"
    )
    context_key: str = "fleetaudit"
    port_custom_field: str | None = None
    page_size: int | None = Field(
        None, ge=1, description="write how many devices Nautobot returns a request, e.g. 200"
    )

    @field_validator("platforms")
    @classmethod
    def _known_platforms(cls, value: dict[str, str]) -> dict[str, str]:
        known = platforms.names()
        for name, platform in value.items():
            if platform not in known:
                raise ValueError(
                    f"{name!r} maps to {platform!r}, not a fleetaudit platform; "
                    f"use one of {', '.join(known)}"
                )
        return value

    @field_validator("roles")
    @classmethod
    def _known_roles(cls, value: dict[str, str]) -> dict[str, str]:
        for name, role in value.items():
            try:  # the roles a host's data.role may take
                HostData.model_validate({"role": role})
            except ValidationError:
                raise ValueError(f"{name!r} maps to {role!r}, not a fleetaudit role") from None
        return value


def config_file() -> Path:
    configured = os.environ.get("FLEETAUDIT_SOT_CONFIG")
    if configured:
        path = Path(configured)
        if not path.is_file():
            raise UsageError(
                f"FLEETAUDIT_SOT_CONFIG is {configured} but no such file; point it at a "
                f"{CONFIG_FILE} (platforms and roles of the source of truth)"
            )
        return path
    local = Path("inventory") / CONFIG_FILE
    return local if local.is_file() else builtin_dir("inventory") / CONFIG_FILE


def config_folder() -> Path:
    """Where ``groups.yaml`` / ``defaults.yaml`` for source-of-truth hosts are read."""
    return config_file().parent


def load_config() -> tuple[SotConfig, Path]:
    path = config_file()
    return validated(SotConfig, load_yaml(path, "source-of-truth map") or {}, f"{path}: "), path
