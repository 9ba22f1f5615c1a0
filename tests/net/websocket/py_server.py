# A WebSocket server in Python's `websockets` (Debian's python3-websockets,
# 10.4) for tests/net/websocket/interop_test.cc: it prints its port, then
# serves until killed. Paths:
#   /echo         echoes every message (text as text, binary as binary)
#   /server-ping  pings the client, waits for the pong, sends "pong ok",
#                 sends the fragmented text "a" "b" "c", closes with 4000
# Each connection's end is printed as "closed <path> <code> <reason>".
import asyncio
import sys

import websockets


async def handler(ws):
    try:
        if ws.path == "/server-ping":
            pong = await ws.ping(b"py-ping")
            await asyncio.wait_for(pong, 5)
            await ws.send("pong ok")
            await ws.send(["a", "b", "c"])
            await ws.close(4000, "py bye")
        else:
            async for message in ws:
                await ws.send(message)
    except websockets.ConnectionClosed:
        pass
    print("closed", ws.path, ws.close_code, ws.close_reason, flush=True)


async def main():
    async with websockets.serve(handler, "127.0.0.1", 0,
                                subprotocols=["chat"],
                                max_size=4 << 20) as server:
        print(server.sockets[0].getsockname()[1], flush=True)
        await asyncio.Future()


asyncio.run(main())
