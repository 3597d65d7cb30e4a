"""The fix text `checks explain` shows for checks whose findings' fixes a platform's
firewall planner writes (FW001, FW002): the check itself, run on the platform's documented
example (``EXAMPLE`` beside its planner) under the example provider profile and its
ports-only variant. The explain text and a finding's remediation are then the output of
one function, the planner's ``fixes``, on two inputs; a template written beside it could
drift from what it writes.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache

from fleetaudit import platforms
from fleetaudit.checkkit import Host, Run
from fleetaudit.evidence import Evidence
from fleetaudit.policy import VoipPolicy, load_policy
from fleetaudit.rules.plan import Example

#: The provider of the seeds (shared/seeds 000) and one PBX behind the device: what every
#: platform's ``EXAMPLE`` config partly closes.
SUBNET = "193.201.230.128/26"
TARGET = "192.168.20.10"  # the voice target (voip.targets.pbx) behind the device
PROVIDER = {
    "provider": "example",
    "subnets": [SUBNET],
    "any_traffic": True,
    "signalling": {"tcp": "80,443,5060,5061,11024", "udp": "5060"},
    "rtp": {"udp": "10000-65535"},
    "targets": {"pbx": [TARGET]},
}


#: The provider as profiled (any traffic: one ``ip`` permit covers all), then asking for
#: its ports alone (a permit per protocol and port range): explain shows each fix apart.
VARIANTS = {
    "": PROVIDER,
    " (a provider asking for its ports alone)": {**PROVIDER, "any_traffic": False},
}


def example_policy(variant: str = "") -> VoipPolicy:
    return load_policy(VARIANTS[variant], "fleetaudit.rules.examples.PROVIDER")


def example_of(platform: str) -> Example:
    """The documented example declared beside the platform's firewall planner."""
    reference = platforms.get(platform).firewall_planner
    if reference is None:
        raise ValueError(f"platform {platform} declares no firewall planner")
    example: Example = platforms.load(reference.partition(":")[0] + ":EXAMPLE")
    return example


def example_host(platform: str) -> Host:
    """The example's facts, read by the platform's own parsers from its config."""
    from fleetaudit.parse import parse_host  # TTP and the normalisers: `checks explain` only

    example = example_of(platform)
    command = platforms.get(platform).config_command
    evidence = Evidence("example", platform, command, "ok", example.config)
    parsed = parse_host(platform, example.role, {command: evidence})
    return Host("example", platform, example.role, None, parsed.facts)


@cache
def rendered(run: Run, platform: str) -> dict[str, str]:
    """``platform`` (and ``platform (variant)``) -> the fix lines the check's findings
    carry on the platform's example under that provider profile."""
    host = example_host(platform)
    texts: dict[str, str] = {}
    for variant in VARIANTS:
        results = list(run(host, example_policy(variant)))
        fixes = [r.remediation for r in results if r.status == "fail" and r.remediation]
        text = "\n".join(dict.fromkeys(line for fix in fixes for line in fix.splitlines()))
        if text and text not in texts.values():
            texts[platform + variant] = text
    if not texts:
        found = "; ".join(f"{r.status}: {r.message}" for r in results)
        raise ValueError(f"{platform}'s firewall EXAMPLE closes nothing: {found}")
    return texts


class PlannedFixes(Mapping[str, str]):
    """A check's ``fix`` (platform, or ``platform (variant)`` -> commands) rendered on
    each platform's example; rendered when first read."""

    def __init__(self, run: Run, names: tuple[str, ...]) -> None:
        self.run = run
        self.names = names

    def __getitem__(self, key: str) -> str:
        platform = key.split(" (")[0]
        if platform not in self.names:
            raise KeyError(key)
        return rendered(self.run, platform)[key]

    def __contains__(self, key: object) -> bool:
        return key in self.names or (isinstance(key, str) and key in iter(self))

    def __iter__(self) -> Iterator[str]:
        for platform in self.names:
            yield from rendered(self.run, platform)

    def __len__(self) -> int:
        return sum(len(rendered(self.run, platform)) for platform in self.names)
