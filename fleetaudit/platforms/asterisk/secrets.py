"""Secrets in Asterisk's own formats that the scrubber's common filters miss.

``secret=`` / ``password =`` / ``md5secret =`` are common ``key = value`` forms, scrubbed
for every platform; Asterisk adds the PJSIP auth's ``md5_cred`` and chan_sip / IAX2's
``register =>`` line, whose password sits between the user and the ``@``.
"""

from __future__ import annotations

REMOVED = "<removed>"

SECRET_FILTERS = (
    # pjsip.conf [auth] "md5_cred = 0123abcd..." (the MD5 of user:realm:password)
    {
        "regex": r"(\bmd5_cred[ \t]*=[ \t]*)(?!<removed>)[^\s;]+",
        "replace": rf"\1{REMOVED}",
        "when": "md5_cred",
    },
    # sip.conf / iax.conf "register => [transport://]user:SECRET[:authuser]@host[:port][/ext]"
    {
        "regex": r"^([ \t]*register[ \t]*=>?[ \t]*(?:[a-z]+://)?[^:@\s/]+:)(?!//|<removed>)[^:@\s]+",
        "replace": rf"\1{REMOVED}",
        "when": "register",
    },
)
