r"""Cisco IOS / IOS-XE: voice gateways, routers and access switches.

How its answers are judged (:func:`fleetaudit.judgement.judged`):

>>> from fleetaudit.judgement import judged
>>> judged("show sip\n  ^\n% Invalid input detected at '^' marker.", "cisco_ios", "show sip")
('rejected', "% Invalid input detected at '^' marker.")
>>> judged("SIP Service is up", "cisco_ios", "show sip service")
('ok', None)
>>> judged("hostname gw1\ninterface Gi0/0\n", "cisco_ios", "show running-config")
('incomplete', '`show running-config` looks truncated: no `end` line')

One parser per fact (issue 9): every fact comes from one command read by one TTP
template and its normaliser, none from a napalm getter as well.

- ``device``: ``show version`` through ``templates/cisco_ios/show_version.ttp``, not
  napalm's ``get_facts``: the template reads model, version and serial on every public
  IOS/IOS-XE output of the corpus (48/48 fields, bench/corpus_figures.md), where
  ``get_facts`` sends three commands (``show version``, ``show hosts``, ``show ip
  interface brief``) for the same fields plus an uptime and an interface list no check
  reads.
- ``mac_table`` and ``lldp_neighbors`` (switches): ``show mac address-table`` and ``show
  lldp neighbors detail`` through their templates (100 % of the corpus), not
  ``get_mac_address_table`` (85 %: it loses the 6500 per-linecard table and raises on an
  ``N/A`` VLAN row) nor ``get_lldp_neighbors_detail`` (53 %: it raises when IOS prints no
  ``Local Intf:`` and gives no management address).

Without a getter to run, napalm is not used at all: the collector opens the same guarded
netmiko session and enters enable mode, as napalm's ``ios`` driver would (issue 12: its
import alone cost a quarter of a run's memory); a getter declared as a source brings the
driver back as the transport, through the channel guard.
"""

from __future__ import annotations

from fleetaudit.platforms.base import Platform
from fleetaudit.platforms.cisco_ios.completeness import complete
from fleetaudit.platforms.grammar import cisco_show_only

PLATFORM = Platform(
    name="cisco_ios",
    title="Cisco IOS / IOS-XE",
    transport="ssh",
    config_command="show running-config",
    read_only=cisco_show_only,
    session_setup=("terminal width 511", "terminal length 0", "enable", "exit"),
    dialogues={"enable": ("secret",)},
    netmiko_device_type="cisco_ios",
    session="fleetaudit.platforms.cisco_ios.session:CiscoIosSession",
    napalm_driver="ios",
    refusals=(
        "% Invalid input detected",
        "% Ambiguous command",
        "% Incomplete command",
        "% Unknown command",
        "% Unrecognized command",
    ),
    complete=complete,
    roles=("gateway", "router", "switch"),
    config_syntax="indented",
    comment="!",
    config_mode=("configure terminal", "end"),
    parsers=(
        "fleetaudit.platforms.cisco_ios.parse",
        "fleetaudit.platforms.cisco_ios.parse.l2",
    ),
    firewall_planner="fleetaudit.platforms.cisco_ios.firewall:plan",
    firewall_fact="acl",
    # a registration's remaining seconds count down between two runs
    volatile={"sip_ua_registrations": frozenset({"expires_s"})},
    lab="fleetaudit.platforms.cisco_ios.lab:CiscoShell",
    lab_ssh_version="Cisco-1.25",
)
