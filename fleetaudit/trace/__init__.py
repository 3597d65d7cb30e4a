"""``fleetaudit sip-trace``: read a packet capture (pcap / pcapng), rebuild the SIP
dialogs in it, draw each call's ladder and report what went wrong (``TRC…`` findings).

Stages, each a small module: :mod:`capture` (file formats, link layers, IP fragments)
-> :mod:`tcp` (stream reassembly, SIP framing) -> :mod:`sip` (messages, SDP) ->
:mod:`calls` (dialogs, transactions, RTP counts) -> :mod:`problems` (what is wrong with
a call) -> :mod:`command` (the report), :mod:`ladder` (text and SVG ladders).
"""
