# A WebSocket client in Python's `websockets` (Debian's python3-websockets,
# 10.4) for tests/net/websocket/interop_test.cc, run against mco's echo
# server on the port given as the argument. Sends text, binary, 1 MiB, two
# fragmented messages and a ping, checks every echo, closes with 4001, and
# prints "ok <close code> <close reason>" of the close frame the server
# answered with; any mismatch raises, so the exit code is non-zero.
import asyncio
import os
import sys

import websockets


async def main(port):
    async with websockets.connect(f"ws://127.0.0.1:{port}/py",
                                  subprotocols=["chat"],
                                  max_size=4 << 20) as ws:
        assert ws.subprotocol == "chat", ws.subprotocol
        await ws.send("h\u00e9llo \u20ac")
        assert await ws.recv() == "h\u00e9llo \u20ac"
        data = bytes(range(256)) * 300
        await ws.send(data)
        assert await ws.recv() == data
        big = os.urandom(1 << 20)
        await ws.send(big)
        assert await ws.recv() == big
        await ws.send(["frag", "men", "ted \u20ac"])
        assert await ws.recv() == "fragmented \u20ac"
        await ws.send([b"ab", b"", b"cd"])
        assert await ws.recv() == b"abcd"
        pong = await ws.ping(b"py-ping")
        await asyncio.wait_for(pong, 5)
        await ws.close(4001, "py done")
        print("ok", ws.close_code, ws.close_reason, flush=True)


asyncio.run(asyncio.wait_for(main(int(sys.argv[1])), 30))
