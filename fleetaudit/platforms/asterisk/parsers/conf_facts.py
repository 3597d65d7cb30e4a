"""Facts the checks need, derived from parsed ``.conf`` files (:mod:`conf`).

Defaults are Asterisk's own where an option is unset: rtp.conf ``rtpstart=10000`` /
``rtpend=20000`` (``res_rtp_asterisk.c`` DEFAULT_RTP_START/END); res_pjsip endpoint
``direct_media=yes``, ``rtp_symmetric=no``, ``force_rport=yes``, ``rewrite_contact=no``, aor
``max_contacts=0``, ``qualify_frequency=0``, transport ``protocol=udp``, registration
``expiration=3600`` (``pjsip_configuration.c``, ``location.c``, ``config_transport.c``,
``res_pjsip_outbound_registration.c``); chan_sip ``allowguest=yes``. Secrets never reach facts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from fleetaudit.facts import Ref
from fleetaudit.platforms.asterisk.facts import (
    ConfItem,
    ConfSection,
    ConfTree,
    PjsipAorConf,
    PjsipConfig,
    PjsipEndpointConf,
    PjsipIdentifyConf,
    PjsipRegistrationConf,
    PjsipTransportConf,
    RtpRange,
    SipConfig,
    SipGeneralConf,
    SipPeerConf,
    SipRegisterLine,
)

DEFAULT_RTP_START = 10000
DEFAULT_RTP_END = 20000
TRUE = {"yes", "true", "y", "t", "1", "on"}
FALSE = {"no", "false", "n", "f", "0", "off"}


def true(value: str | None, default: bool) -> bool:
    """``ast_true``/``ast_false``; anything else (or unset) keeps the default."""
    if value is None:
        return default
    word = value.strip().lower()
    if word in TRUE:
        return True
    if word in FALSE:
        return False
    return default


def codecs(items: Iterable[ConfItem]) -> tuple[str, ...]:
    """Apply ``allow``/``disallow`` lines in order, as ``ast_format_cap_update_by_allow_disallow``
    does: ``disallow=all`` empties the list, ``allow=all`` adds every codec (kept as "all")."""
    result: list[str] = []
    for item in items:
        if item.key not in ("allow", "disallow"):
            continue
        for name in re.split(r"[,|&]", item.value):
            codec = name.strip().lower().split(":")[0]  # "ulaw:20" sets framing
            if not codec:
                continue
            if item.key == "allow":
                if codec not in result:
                    result.append(codec)
            elif codec == "all":
                result.clear()
            elif codec in result:
                result.remove(codec)
    return tuple(result)


def rtp_range(tree: ConfTree) -> RtpRange:
    general = _first(tree, "general")
    start = general.item("rtpstart") if general else None
    end = general.item("rtpend") if general else None
    return RtpRange(
        start=_int(start.value if start else None, DEFAULT_RTP_START),
        end=_int(end.value if end else None, DEFAULT_RTP_END),
        start_ref=start.ref() if start else None,
        end_ref=end.ref() if end else None,
    )


def pjsip_config(tree: ConfTree) -> PjsipConfig:
    return PjsipConfig(
        endpoints=tuple(_endpoint(section) for section in tree.objects("endpoint")),
        transports=tuple(_transport(section) for section in tree.objects("transport")),
        identifies=tuple(_identify(section) for section in tree.objects("identify")),
        aors=tuple(_aor(section) for section in tree.objects("aor")),
        registrations=tuple(_registration(section) for section in tree.objects("registration")),
        auths=tuple(section.name for section in tree.objects("auth")),
    )


def sip_config(tree: ConfTree) -> SipConfig:
    general = _first(tree, "general")
    general_items = general.items if general else ()
    peers = tuple(
        _sip_peer(section, general)
        for section in tree.sections
        if not section.template
        and section.name not in ("general", "authentication")
        and (section.get("type") or "").lower() in ("peer", "friend", "user")
    )
    registers = tuple(
        register
        for item in general_items
        if item.key == "register"
        for register in [_register(item)]
        if register is not None
    )
    return SipConfig(_sip_general(general), peers, registers)


def _endpoint(section: ConfSection) -> PjsipEndpointConf:
    return PjsipEndpointConf(
        name=section.name,
        codecs=codecs(section.items),
        direct_media=true(section.get("direct_media"), True),
        rtp_symmetric=true(section.get("rtp_symmetric"), False),
        force_rport=true(section.get("force_rport"), True),
        rewrite_contact=true(section.get("rewrite_contact"), False),
        transport=section.get("transport"),
        aors=_list(section.values("aors")),
        auths=_list(section.values("auth")),
        outbound_auths=_list(section.values("outbound_auth")),
        context=section.get("context"),
        section=section,
    )


def _transport(section: ConfSection) -> PjsipTransportConf:
    port = section.get("external_signaling_port")
    return PjsipTransportConf(
        name=section.name,
        protocol=(section.get("protocol") or "udp").lower(),
        bind=section.get("bind"),
        external_media_address=section.get("external_media_address") or None,
        external_signaling_address=section.get("external_signaling_address") or None,
        external_signaling_port=int(port) if port and port.isdigit() else None,
        local_net=_list(section.values("local_net")),
        section=section,
    )


def _identify(section: ConfSection) -> PjsipIdentifyConf:
    return PjsipIdentifyConf(
        name=section.name,
        endpoint=section.get("endpoint"),
        matches=_list(section.values("match")),
        match_header=section.get("match_header"),
        section=section,
    )


def _aor(section: ConfSection) -> PjsipAorConf:
    return PjsipAorConf(
        name=section.name,
        max_contacts=_int(section.get("max_contacts"), 0),
        qualify_frequency=_int(section.get("qualify_frequency"), 0),
        contacts=_list(section.values("contact")),
        section=section,
    )


def _registration(section: ConfSection) -> PjsipRegistrationConf:
    return PjsipRegistrationConf(
        name=section.name,
        server_uri=section.get("server_uri"),
        client_uri=section.get("client_uri"),
        outbound_auth=section.get("outbound_auth"),
        transport=section.get("transport"),
        expiration=_int(section.get("expiration"), 3600),
        section=section,
    )


def _sip_general(general: ConfSection | None) -> SipGeneralConf:
    get = general.get if general else (lambda key: None)
    return SipGeneralConf(
        externip=get("externaddr") or get("externip"),
        externhost=get("externhost"),
        localnets=general.values("localnet") if general else (),
        nat=get("nat"),
        allowguest=true(get("allowguest"), True),
        directmedia=get("directmedia") or get("canreinvite"),
        qualify=get("qualify"),
        section=general,
    )


def _sip_peer(section: ConfSection, general: ConfSection | None) -> SipPeerConf:
    inherited = general.items if general else ()

    def own_or_general(*keys: str) -> str | None:
        for source in (section, general):
            for key in keys:
                value = source.get(key) if source else None
                if value is not None:
                    return value
        return None

    return SipPeerConf(
        name=section.name,
        type=(section.get("type") or "").lower(),
        host=section.get("host"),
        insecure=own_or_general("insecure"),
        permit=section.values("permit"),
        deny=section.values("deny"),
        codecs=codecs((*inherited, *section.items)),
        qualify=own_or_general("qualify"),
        nat=own_or_general("nat"),
        directmedia=own_or_general("directmedia", "canreinvite"),
        context=own_or_general("context"),
        section=section,
    )


REGISTER = re.compile(
    r"^(?:[^?@]+\?)?(?:(?P<transport>\w+)://)?(?P<userpart>.+)@(?P<host>[^@:/~]+)"
    r"(?::(?P<port>\d+))?(?:/(?P<extension>[^~]*))?(?:~\d+)?$"
)


def _register(item: ConfItem) -> SipRegisterLine | None:
    """``[peer?][transport://]user[@domain][:secret[:authuser]]@host[:port][/extension][~expiry]``"""
    match = REGISTER.match(item.value.strip())
    if match is None:
        return None
    user_and_domain = match["userpart"].split(":")[0]
    user, _, domain = user_and_domain.partition("@")
    return SipRegisterLine(
        user=user,
        domain=domain or None,
        host=match["host"],
        port=int(match["port"]) if match["port"] else None,
        transport=match["transport"],
        extension=match["extension"] or None,
        ref=Ref(source=item.file, line=item.line, text=f"{item.key} => {_masked(item.value)}"),
    )


def _masked(value: str) -> str:
    """A register line with its secret (and auth user) replaced by ``***``."""
    match = REGISTER.match(value.strip())
    if match is None or ":" not in match["userpart"]:
        return value.strip()
    user = match["userpart"].split(":")[0]
    start, end = match.span("userpart")
    return f"{value.strip()[:start]}{user}:***{value.strip()[end:]}"


def _first(tree: ConfTree, name: str) -> ConfSection | None:
    """The section Asterisk's ``ast_variable_browse`` reads: the first of that name."""
    found = tree.named(name)
    return found[0] if found else None


def _list(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def _int(value: str | None, default: int) -> int:
    return int(value) if value is not None and value.strip().isdigit() else default
