"""A demonstration platform shipped by a package that is not fleetaudit.

It declares one ``Platform`` (found through the ``fleetaudit.platforms`` entry point in
``../fleetaudit_demo_os-0.1.dist-info/entry_points.txt``), one template-less source for
its configuration, and joins the existing check ALG001 with its own fix command.
"""

from __future__ import annotations

from fleetaudit.platforms import Platform

PLATFORM = Platform(
    name="demo_os",
    title="Demo OS (a test platform)",
    transport="ssh",
    config_command="show config",
    read_only=lambda command: None if command.startswith("show ") else "only show commands",
    refusals=("unknown command",),
    roles=("edge",),  # a role no built-in platform serves: the package brings it
    parsers=("fleetaudit_demo_os.parse",),
    check_fixes={"ALG001": "set sip-alg disable"},
)
