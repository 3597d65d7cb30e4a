"""A SIP ALG in miniature, on 127.0.0.1: a UDP relay between a phone (sipp UAC) and its
server (sipp UAS) that forwards every message unchanged except the phone's SDP, whose
c=/o= address and audio port it rewrites to the "public" side as a router's ALG does.
Call-ID and CSeq pass through, so the two legs carry the same message twice."""

from __future__ import annotations

import re
import select
import socket
import threading
from types import TracebackType

OUTSIDE_ADDRESS = "203.0.113.5"  # only written into SDP; nothing sends media there
PORT_SHIFT = 10000  # the ALG's media port = the phone's + this


def rewrite_sdp(message: bytes) -> bytes:
    """The phone's SDP as the ALG forwards it; messages without SDP unchanged."""
    head, sep, body = message.partition(b"\r\n\r\n")
    if not sep or b"application/sdp" not in head.lower():
        return message
    text = body.decode("ascii")
    text = re.sub(r"^(c=IN IP4 |o=.* IN IP4 )\S+", rf"\g<1>{OUTSIDE_ADDRESS}", text, flags=re.M)
    text = re.sub(
        r"^(m=audio )(\d+)", lambda m: f"{m[1]}{int(m[2]) + PORT_SHIFT}", text, flags=re.M
    )
    new_body = text.encode("ascii")
    head = re.sub(rb"(?im)^(content-length:\s*)\d+", rb"\g<1>" + str(len(new_body)).encode(), head)
    return head + sep + new_body


class AlgRelay:
    """Listens for the phone on ``inside_port``, talks to ``server_port`` from
    ``outside_port``; answers from the server go back to the phone's last address."""

    def __init__(self, inside_port: int, outside_port: int, server_port: int) -> None:
        self.inside = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.inside.bind(("127.0.0.1", inside_port))
        self.outside = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.outside.bind(("127.0.0.1", outside_port))
        self.server = ("127.0.0.1", server_port)
        self.phone: tuple[str, int] | None = None
        self.rewritten = 0
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> AlgRelay:
        self.thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stopping.set()
        self.thread.join(timeout=5)
        self.inside.close()
        self.outside.close()

    def _run(self) -> None:
        while not self.stopping.is_set():
            ready, _, _ = select.select([self.inside, self.outside], [], [], 0.1)
            for sock in ready:
                data, sender = sock.recvfrom(65535)
                if sock is self.inside:
                    self.phone = sender
                    forwarded = rewrite_sdp(data)
                    self.rewritten += forwarded != data
                    self.outside.sendto(forwarded, self.server)
                elif self.phone is not None:
                    self.inside.sendto(data, self.phone)
