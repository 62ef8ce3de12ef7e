#!/usr/bin/env python3
"""Clients of the soak run (bench/soak.sh), with nothing but the standard library.

`legit BASE SECONDS OUT TOKENS…` signs in and publishes small uploads, one request at a time per
teacher token given, as people do; it writes the count of requests, errors and latencies to OUT.

`abuse BASE SECONDS OUT PUPIL_TOKEN TEACHER_TOKEN` keeps sending the bad requests of the
hardening issue in a loop: absurd page numbers, a trickled oversized CSRF field, an upload by a
pupil announcing 200 MB, heads that never end, forms with thousands of fields, forged package
addresses, enormous logins, open-redirect attempts. Every answer is checked against what the
server must say; anything else is counted as a failure in OUT.
"""

import json
import socket
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

BOUNDARY = "----preau-soak"


def address(base):
    parsed = urllib.parse.urlparse(base)
    return parsed.hostname, parsed.port


def request(base, method, path, body=None, headers=None, timeout=30):
    """(status, body bytes) of one request; urllib's HTTPError is an answer too."""
    data = body if isinstance(body, (bytes, type(None))) else body.encode()
    req = urllib.request.Request(base + path, data=data, method=method, headers=headers or {})

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(req, timeout=timeout) as answer:
            return answer.status, answer.read(), dict(answer.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers)


def multipart(fields, files=()):
    parts = []
    for name, value in fields:
        parts.append(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for name, filename, content in files:
        parts.append(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            "Content-Type: application/pdf\r\n\r\n".encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{BOUNDARY}--\r\n".encode())
    return b"".join(parts), {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}


def percentile(values, fraction):
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def legit(base, seconds, out, tokens):
    """One thread per teacher: sign in as them, then publish a small PDF, in turn."""
    deadline = time.time() + seconds
    results = {"requests": 0, "errors": 0, "latencies_ms": [], "problems": []}
    lock = threading.Lock()
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

    def record(kind, started, status, expected):
        elapsed = (time.time() - started) * 1000
        with lock:
            results["requests"] += 1
            results["latencies_ms"].append(elapsed)
            if status != expected:
                results["errors"] += 1
                if len(results["problems"]) < 20:
                    results["problems"].append(f"{kind}: {status}")

    def worker(index, login, token):
        n = 0
        while time.time() < deadline:
            n += 1
            started = time.time()
            status, _, _ = request(
                base,
                "POST",
                "/api/v1/session",
                json.dumps({"login": login, "password": "preau-demo"}),
                {"Content-Type": "application/json"},
            )
            record("sign-in", started, status, 200)
            metadata = json.dumps(
                {"title": f"Soak {index}-{n}", "published": False, "licence": "CC BY 4.0"}
            )
            body, headers = multipart(
                [("metadata", metadata)], [("file", f"soak-{index}-{n}.pdf", pdf + str(n).encode())]
            )
            headers["Authorization"] = f"Bearer {token}"
            started = time.time()
            status, answer, _ = request(base, "POST", "/api/v1/resources", body, headers)
            record("upload", started, status, 201)
            if status == 201:
                created = json.loads(answer)["id"]
                started = time.time()
                status, _, _ = request(
                    base,
                    "DELETE",
                    f"/api/v1/resources/{created}",
                    headers={"Authorization": f"Bearer {token}"},
                )
                record("delete", started, status, 204)
            time.sleep(0.2)

    threads = []
    for index, pair in enumerate(tokens):
        login, token = pair.split("=", 1)
        thread = threading.Thread(target=worker, args=(index, login, token), daemon=True)
        thread.start()
        threads.append(thread)
    for thread in threads:
        thread.join()
    latencies = results.pop("latencies_ms")
    results["p50_ms"] = round(percentile(latencies, 0.50), 1)
    results["p99_ms"] = round(percentile(latencies, 0.99), 1)
    with open(out, "w") as file:
        json.dump(results, file)


def raw(base, payload, read=True, pause=None, timeout=15):
    """Sends `payload` (a list of byte strings, with `pause` seconds between them) on a fresh
    connection and gives the status line of the answer ('' when the server closed)."""
    host, port = address(base)
    with socket.create_connection((host, port), timeout=timeout) as connection:
        try:
            for piece in payload:
                connection.sendall(piece)
                if pause:
                    time.sleep(pause)
        except OSError:
            pass
        if not read:
            return ""
        answer = b""
        try:
            while b"\r\n" not in answer:
                chunk = connection.recv(4096)
                if not chunk:
                    break
                answer += chunk
        except OSError:
            pass
        return answer.split(b"\r\n", 1)[0].decode(errors="replace")


def abuse(base, seconds, out, pupil, teacher):
    deadline = time.time() + seconds
    counts = {}
    failures = []
    host, port = address(base)
    hanging = []

    def check(kind, ok, detail):
        counts[kind] = counts.get(kind, 0) + 1
        if not ok and len(failures) < 50:
            failures.append(f"{kind}: {detail}")

    while time.time() < deadline:
        status, _, _ = request(
            base,
            "GET",
            "/api/v1/resources?page=1000000000000",
            headers={"Authorization": f"Bearer {pupil}"},
        )
        check("huge page", status == 400, status)

        part = f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n'.encode()
        head = (
            f"POST /ressources/nouvelle HTTP/1.1\r\nHost: {host}:{port}\r\n"
            f"Cookie: preau_session={teacher}\r\n"
            f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n"
            f"Content-Length: {len(part) + (1 << 20)}\r\n\r\n"
        ).encode()
        line = raw(base, [head, part] + [b"aaaa"] * 200, pause=0.001)
        check("trickled csrf", " 400 " in line, line)

        head = (
            f"POST /api/v1/resources HTTP/1.1\r\nHost: {host}:{port}\r\n"
            f"Authorization: Bearer {pupil}\r\n"
            f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n"
            "Content-Length: 209715200\r\n\r\n"
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="x.bin"\r\n\r\n'
        ).encode()
        line = raw(base, [head])
        check("pupil upload", " 403 " in line, line)

        # Heads that never end: a few dozen held open at once, replaced as the server drops them.
        hanging = [c for c in hanging if c.fileno() != -1]
        while len(hanging) < 40:
            try:
                connection = socket.create_connection((host, port), timeout=5)
                connection.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
                hanging.append(connection)
            except OSError as error:
                check("slow head", False, error)
                break
        for connection in list(hanging):
            try:
                connection.setblocking(False)
                if connection.recv(1) == b"":
                    connection.close()
                    hanging.remove(connection)
                    check("slow head closed", True, "")
            except BlockingIOError:
                pass
            except OSError:
                connection.close()
                hanging.remove(connection)
                check("slow head closed", True, "")

        fields = [("metadata", '{"title":"x","url":"https://example.org/"}')]
        fields += [("x", str(n)) for n in range(1500)]
        body, headers = multipart(fields)
        headers["Authorization"] = f"Bearer {teacher}"
        status, _, _ = request(base, "POST", "/api/v1/resources", body, headers)
        check("many fields", status == 400, status)

        status, _, _ = request(base, "GET", "/paquets/1.2.99999999999.AAAA/index.html")
        check("forged package", status == 404, status)

        # The abuser comes from its own address (through the trusted proxy of the soak run),
        # so that its failures are throttled on it, not on the people behind 127.0.0.1.
        elsewhere = {"X-Forwarded-For": "203.0.113.66"}
        status, _, _ = request(
            base,
            "POST",
            "/api/v1/session",
            json.dumps({"login": "é" * 50_000, "password": "x"}),
            {"Content-Type": "application/json", **elsewhere},
        )
        check("huge login", status in (400, 401, 429), status)

        status, _, headers = request(
            base,
            "POST",
            "/connexion",
            urllib.parse.urlencode(
                {"login": "eleve.demo", "password": "preau-demo", "suite": "/\t/evil.example"}
            ),
            # Another address than the failed sign-ins above, which the throttle (rightly)
            # answers 429 after a while: this probe is about where a good sign-in goes.
            {"Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-For": "203.0.113.67"},
        )
        location = next((v for k, v in headers.items() if k.lower() == "location"), "")
        check("open redirect", status == 303 and location == "/", f"{status} {location}")
    for connection in hanging:
        connection.close()
    with open(out, "w") as file:
        json.dump({"counts": counts, "failures": failures}, file)


if __name__ == "__main__":
    mode, base, seconds, out, *rest = sys.argv[1:]
    if mode == "legit":
        legit(base, float(seconds), out, rest)
    elif mode == "abuse":
        abuse(base, float(seconds), out, rest[0], rest[1])
    else:
        sys.exit(f"unknown mode {mode}")
