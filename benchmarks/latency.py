"""Timing tools of the latency benchmark: a click or key to the repaint that shows it, and a
delay proxy between the browser and the server (as on Binder). The JupyterLab launcher and
the paint probe they rely on are in tools/lab.py, shared with the browser tests.
"""

from __future__ import annotations

import contextlib
import socket
import time
from collections.abc import Iterator

from tools.lab import next_paint


def click_latency(page, selector: str, settle_s: float = 0.3) -> float:
    """Milliseconds from a click on `selector` to the repaint that shows its effect."""
    return next_paint(page, lambda: page.click(selector), settle_s)


def key_latency(page, handle_selector: str, key: str = "ArrowRight", settle_s: float = 0.3) -> float:
    """Milliseconds from one keypress on a control to the next repaint of the probed target
    (for a control the target does not follow in the browser: a Python round trip)."""
    page.focus(handle_selector)
    return next_paint(page, lambda: page.keyboard.press(key), settle_s)


@contextlib.contextmanager
def delay_proxy(upstream_port: int, delay_s: float = 0.05) -> Iterator[int]:
    """A TCP proxy on 127.0.0.1 that holds each chunk `delay_s` in each direction, as a far
    away server would (Binder): yields the port to connect to. Chunks keep their order and
    do not wait for one another, so only latency is added, not a bandwidth limit."""
    import queue
    import threading

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(128)
    sockets: list[socket.socket] = [listener]

    def forward(source: socket.socket, target: socket.socket) -> None:
        held: queue.Queue = queue.Queue()

        def receive() -> None:
            while True:
                try:
                    data = source.recv(65536)
                except OSError:
                    data = b""
                held.put((time.monotonic() + delay_s, data))
                if not data:
                    return

        def send() -> None:
            while True:
                due, data = held.get()
                time.sleep(max(0.0, due - time.monotonic()))
                try:
                    if not data:
                        target.shutdown(socket.SHUT_WR)
                        return
                    target.sendall(data)
                except OSError:
                    return

        for work in (receive, send):
            threading.Thread(target=work, daemon=True).start()

    def accept() -> None:
        while True:
            try:
                client, _ = listener.accept()
                server = socket.create_connection(("127.0.0.1", upstream_port))
            except OSError:
                return  # closed: the measuring is over
            for connection in (client, server):
                connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # no batching of small writes
                sockets.append(connection)
            forward(client, server)
            forward(server, client)

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield listener.getsockname()[1]
    finally:
        for connection in sockets:
            connection.close()
