"""Opens idle server-sent-event streams on Préau (GET /api/v1/notifications/stream) and keeps
them open: CONNECTIONS streams spread over PEOPLE signed-in demo accounts (a person may hold
16 at most). Prints the server's resident memory (VmRSS of PID) before and after, and the CPU
the server spends while they idle. Standard library only.

usage: sse_clients.py BASE_URL PID CONNECTIONS PEOPLE IDLE_SECONDS"""

import asyncio
import json
import os
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit


def call(base, path, token=None, body=None):
    request = urllib.request.Request(base + path, method="POST" if body is not None else "GET")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    data = None
    if body is not None:
        request.add_header("Content-Type", "application/json")
        data = json.dumps(body).encode()
    with urllib.request.urlopen(request, data, timeout=60) as response:
        return json.load(response)


def sign_in(base, login):
    return call(base, "/api/v1/session", body={"login": login, "password": "preau-demo"})["token"]


def logins(base, admin, wanted):
    found, page = [], 1
    while len(found) < wanted:
        listed = call(base, f"/api/v1/admin/accounts?state=active&page={page}", admin)
        if not listed["accounts"]:
            break
        found += [a["login"] for a in listed["accounts"] if not a["is_admin"]]
        page += 1
    return found[:wanted]


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    # utime and stime, fields 14 and 15 of the whole line, in clock ticks.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def open_stream(host, port, token, opened):
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(
        (
            "GET /api/v1/notifications/stream HTTP/1.1\r\n"
            f"Host: {host}:{port}\r\nAuthorization: Bearer {token}\r\n"
            "Accept: text/event-stream\r\n\r\n"
        ).encode()
    )
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.1 200"):
        raise RuntimeError(head.decode(errors="replace"))
    # The first event: the count of the moment.
    while b"data:" not in await reader.readline():
        pass
    opened.append((reader, writer))


async def main():
    base, pid, connections, people, idle = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
    address = urlsplit(base)
    admin = sign_in(base, "admin.demo")
    chosen = logins(base, admin, people)
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=4) as pool:
        tokens = list(pool.map(lambda login: sign_in(base, login), chosen))
    print(f"signed in {len(tokens)} people in {time.monotonic() - started:.1f} s")
    await asyncio.sleep(2)
    before = rss_kib(pid)
    opened = []
    started = time.monotonic()
    batch = 50
    for first in range(0, connections, batch):
        await asyncio.gather(
            *(
                open_stream(address.hostname, address.port, tokens[n % len(tokens)], opened)
                for n in range(first, min(first + batch, connections))
            )
        )
    print(f"opened {len(opened)} streams in {time.monotonic() - started:.1f} s")
    await asyncio.sleep(2)
    after = rss_kib(pid)
    cpu_start = cpu_seconds(pid)
    await asyncio.sleep(idle)
    cpu_idle = cpu_seconds(pid) - cpu_start
    held = rss_kib(pid)
    print(f"server RSS before: {before / 1024:.1f} MiB")
    print(f"server RSS with {len(opened)} idle streams: {after / 1024:.1f} MiB "
          f"(+{(after - before) / 1024:.1f} MiB, {(after - before) / max(len(opened), 1):.1f} KiB per stream)")
    print(f"server RSS after {idle:.0f} s idle: {held / 1024:.1f} MiB; CPU used meanwhile: {cpu_idle:.2f} s")
    for _, writer in opened:
        writer.close()


asyncio.run(main())
