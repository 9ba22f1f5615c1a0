#!/usr/bin/python3
"""A scripted chat client for the WebSocket chat's end-to-end test.

  chat_peer.py URL STEP...

Each STEP is "expect:TEXT" (read messages until one equals TEXT) or
"send:TEXT". After each "expect" the matched message is printed on a line of
its own, so a test can wait for a step (e.g. the welcome). Prints "ok" and
exits 0 when every step is done; exits 1 with what it got if 20 s pass first
or the connection ends. Uses Debian's python3-websockets.
"""

import asyncio
import sys

import websockets


async def run(url, steps):
    got = []
    async with websockets.connect(url, open_timeout=10, close_timeout=5) as ws:
        for step in steps:
            kind, _, text = step.partition(":")
            if kind == "send":
                await ws.send(text)
            elif kind == "expect":
                while True:
                    message = await ws.recv()
                    got.append(message)
                    if message == text:
                        print(message, flush=True)
                        break
            else:
                raise ValueError("bad step: " + step)
    return got


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        asyncio.run(asyncio.wait_for(run(sys.argv[1], sys.argv[2:]), 20))
    except Exception as e:  # timeout, closed, refused: say what happened
        print("chat_peer: %s: %r" % (type(e).__name__, e), file=sys.stderr)
        return 1
    print("ok", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
