"""The client side of benchmarks/load.py: people signing in, reading and uploading, and the report.

A fixed number of asyncio tasks, one per person, each with one connection: the load is bounded
by the number of people and their pauses, not by how fast the server answers.
"""

from __future__ import annotations

import asyncio
import csv
import datetime
import hashlib
import io
import random
import statistics
import time
from collections import defaultdict
from dataclasses import dataclass, field

import httpx

UPLOAD = "upload: return (API)"
IDLE_TRIES = 3
# Seconds between one person's requests: a reader moving briskly from page to page; a trust
# correcting its file and uploading it again. Every trust's first upload is at the same instant.
READ_PAUSE = (1.0, 3.0)
UPLOAD_PAUSE = (5.0, 10.0)


@dataclass
class Sample:
    kind: str
    seconds: float
    status: int


@dataclass
class Reader:
    username: str
    pages: list[tuple[str, str]]  # (kind, URL)


@dataclass
class Uploader:
    username: str
    code: str
    base: list[list[str]]  # the trust's latest return, header first

    def file(self, number: int) -> bytes:
        """The return with a sickness rate changed a little: a new version every time."""
        rows = [list(cells) for cells in self.base]
        rate = float(rows[1][-1] or 0)
        rows[1][-1] = f"{min(1.0, rate + number / 100_000):.5f}"
        buffer = io.StringIO(newline="")
        csv.writer(buffer).writerows(rows)
        return buffer.getvalue().encode()


@dataclass
class Session:
    """An httpx client with its own cookies: production cookies are Secure, and httpx would
    not send them back over plain HTTP, so they are kept and sent here."""

    client: httpx.AsyncClient
    cookies: dict[str, str] = field(default_factory=dict)

    async def request(self, method: str, url: str, **kwargs) -> httpx.Response:
        headers = kwargs.pop("headers", {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST" and "csrftoken" in self.cookies:
            headers["X-CSRFToken"] = self.cookies["csrftoken"]
        response = await self.client.request(method, url, headers=headers, **kwargs)
        self.client.cookies.clear()
        for header in response.headers.get_list("set-cookie"):
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response

    async def timed(
        self, kind: str, method: str, url: str, **kwargs
    ) -> tuple[Sample, httpx.Response | None]:
        """The request, timed to its last byte; a failed connection is status 0."""
        started = time.perf_counter()
        try:
            response = await self.request(method, url, **kwargs)
        except httpx.HTTPError:
            response = None
        status = response.status_code if response is not None else 0
        return Sample(kind, time.perf_counter() - started, status), response

    async def sign_in(self, username: str, password: str) -> None:
        await self.request("GET", "/accounts/login/")
        response = await self.request(
            "POST",
            "/accounts/login/",
            data={
                "username": username,
                "password": password,
                "csrfmiddlewaretoken": self.cookies.get("csrftoken", ""),
            },
        )
        if response.status_code != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"{username} could not sign in ({response.status_code})")


async def pause(rng: random.Random, low: float, high: float, until: float) -> None:
    await asyncio.sleep(max(0.0, min(rng.uniform(low, high), until - time.monotonic())))


async def read(session: Session, reader: Reader, until: float, samples: list[Sample]) -> None:
    rng = random.Random(reader.username)
    await pause(rng, 0, READ_PAUSE[1], until)
    turn = rng.randrange(len(reader.pages))
    while time.monotonic() < until:
        kind, url = reader.pages[turn % len(reader.pages)]
        turn += 1
        samples.append((await session.timed(kind, "GET", url))[0])
        await pause(rng, *READ_PAUSE, until)


async def upload(
    session: Session,
    uploader: Uploader,
    period: str,
    until: float,
    samples: list[Sample],
    accepted: list[tuple[str, str, int]],
) -> None:
    rng = random.Random(uploader.code)
    number = 0
    while time.monotonic() < until:
        number += 1
        content = uploader.file(number)
        sample, response = await session.timed(
            UPLOAD,
            "POST",
            "/api/v1/returns/",
            data={"organisation": uploader.code, "period": period},
            files={"file": (f"{uploader.code}-{number}.csv", content, "text/csv")},
        )
        samples.append(sample)
        if response is not None and response.status_code == 201:
            stored = response.json()["id"]
            accepted.append((uploader.code, hashlib.sha256(content).hexdigest(), stored))
        await pause(rng, *UPLOAD_PAUSE, until)


async def warm_up(sessions: list[Session], readers: list[Reader]) -> dict[str, float]:
    """Leave out the pages a reader may not see or that do not exist; time each kind alone.

    The idle time of a kind is the median of a few requests made one at a time, with nothing
    else running: the same page's cost without the load, measured in the same run.
    """
    left_out: dict[str, int] = defaultdict(int)
    alone: dict[str, tuple[Session, str]] = {}
    for session, reader in zip(sessions, readers, strict=True):
        kept = []
        for kind, url in reader.pages:
            status = (await session.request("GET", url)).status_code
            if status in (403, 404):
                left_out[f"{kind} ({status})"] += 1
                continue
            kept.append((kind, url))
            alone.setdefault(kind, (session, url))
        reader.pages = kept
    for what, count in sorted(left_out.items()):
        print(f"  left out for {count} reader(s): {what}")
    idle = {}
    for kind, (session, url) in alone.items():
        tries = [(await session.timed(kind, "GET", url))[0].seconds for _ in range(IDLE_TRIES)]
        idle[kind] = statistics.median(tries)
    return idle


async def drive(
    base: str, password: str, uploaders: list[Uploader], readers: list[Reader], seconds: float
):
    """Sign everyone in, warm up, then everyone at once for `seconds`."""
    limits = httpx.Limits(max_connections=1)
    sessions = [
        Session(httpx.AsyncClient(base_url=base, timeout=60, limits=limits, trust_env=False))
        for _ in range(len(uploaders) + len(readers))
    ]
    people = [u.username for u in uploaders] + [r.username for r in readers]
    gate = asyncio.Semaphore(4)  # signing in hashes a password: a few at a time

    async def sign_in(session: Session, username: str) -> None:
        async with gate:
            await session.sign_in(username, password)

    await asyncio.gather(*(sign_in(s, name) for s, name in zip(sessions, people, strict=True)))
    uploading, reading = sessions[: len(uploaders)], sessions[len(uploaders) :]
    idle = await warm_up(reading, readers)
    samples: list[Sample] = []
    accepted: list[tuple[str, str, int]] = []
    period = datetime.date.today().strftime("%Y-%m")
    started = time.monotonic()
    until = started + seconds
    await asyncio.gather(
        *(
            upload(s, u, period, until, samples, accepted)
            for s, u in zip(uploading, uploaders, strict=True)
        ),
        *(read(s, r, until, samples) for s, r in zip(reading, readers, strict=True)),
    )
    elapsed = time.monotonic() - started
    for session in sessions:
        await session.client.aclose()
    return samples, accepted, period, elapsed, idle


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def report(
    samples: list[Sample], elapsed: float, idle: dict[str, float], baseline: str, aim_ms: float
) -> None:
    kinds: dict[str, list[Sample]] = defaultdict(list)
    for sample in samples:
        kinds[sample.kind].append(sample)
    errors = [s for s in samples if not 200 <= s.status < 300]
    print(
        f"\n{len(samples)} requests in {elapsed:.0f} s: {len(samples) / elapsed:.1f} a second, "
        f"{len(errors)} errors"
    )
    base_p95 = percentile([s.seconds for s in kinds[baseline]], 0.95)
    print(
        f"{'kind':30} {'count':>5} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
        f"{'idle ms':>7} {'p95/idle':>8} {'p95/login p95':>13}"
    )
    for kind in sorted(kinds):
        times = [s.seconds for s in kinds[kind]]
        bad = sum(1 for s in kinds[kind] if not 200 <= s.status < 300)
        p50, p95, p99 = (percentile(times, q) for q in (0.5, 0.95, 0.99))
        alone = idle.get(kind)
        alone_text = f"{alone * 1000:7.0f} {p95 / alone:8.1f}" if alone else f"{'':7} {'':8}"
        print(
            f"{kind:30} {len(times):5} {bad:6} {p50 * 1000:7.0f} {p95 * 1000:7.0f} "
            f"{p99 * 1000:7.0f} {alone_text} {p95 / base_p95:13.1f}"
        )
    statuses: dict[str, int] = defaultdict(int)
    for sample in errors:
        statuses[f"{sample.kind} {sample.status}"] += 1
    for what, count in sorted(statuses.items()):
        print(f"  error: {what} x{count}")
    pages = {k: percentile([s.seconds for s in v], 0.95) for k, v in kinds.items() if "page:" in k}
    if not pages:
        print("No page was read.")
        return
    worst = max(pages, key=pages.__getitem__)
    met = pages[worst] * 1000 < aim_ms and not errors
    print(
        f"Slowest page p95: {pages[worst] * 1000:.0f} ms ({worst}). Aim (no error, every "
        f"page's p95 under {aim_ms:.0f} ms): {'met' if met else 'not met'}."
    )
