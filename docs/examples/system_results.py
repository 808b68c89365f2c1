"""A system's projection results in pandas, through the planner's API.

Gets a token, starts a projection run of one of the system's scenarios, waits for it, and
reads the system's results twice: as one CSV file, and as JSON pages.

    BASE_URL=http://127.0.0.1:8000 PLANNER_USERNAME=analyst-qkk PLANNER_PASSWORD=... \
        python docs/examples/system_results.py QKK 2026-02
"""

import io
import os
import sys
import time

import pandas as pd
import requests

BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:8000").rstrip("/")
API = f"{BASE_URL}/api/v1"


def api_session(username: str, password: str) -> requests.Session:
    """A session that sends a new API token with every request."""
    session = requests.Session()
    answer = session.post(
        f"{API}/auth/token/", json={"username": username, "password": password}, timeout=30
    )
    answer.raise_for_status()  # 401: wrong password; 429: locked for a while
    session.headers["Authorization"] = f"Token {answer.json()['token']}"
    return session


def start_run(session: requests.Session, system: str, baseline: str) -> dict:
    """Start a run of the system's first scenario; the work happens on the server."""
    scenarios = session.get(f"{API}/scenarios/", params={"ics": system}, timeout=30)
    scenarios.raise_for_status()
    scenario = scenarios.json()["results"][0]
    answer = session.post(
        f"{API}/runs/",
        json={"scenario": scenario["id"], "ics": system, "baseline_period": baseline},
        timeout=60,
    )
    if answer.status_code != 202:  # every error says what is wrong: {"errors": [...]}
        raise SystemExit(f"The run was refused: {answer.json()['errors']}")
    return answer.json()


def wait_for(session: requests.Session, run: dict, timeout: float = 600) -> dict:
    deadline = time.monotonic() + timeout
    while run["status"] in ("queued", "running"):
        if time.monotonic() > deadline:
            raise SystemExit(f"Run {run['id']} is still {run['status']} ({run['progress']}%).")
        time.sleep(1)
        run = session.get(f"{API}/runs/{run['id']}/", timeout=30).json()
    if run["status"] != "succeeded":
        raise SystemExit(f"Run {run['id']} failed: {run['error']}")
    return run


def results_csv(session: requests.Session, run: dict, system: str) -> pd.DataFrame:
    """Every result row of the system in one CSV file."""
    answer = session.get(
        f"{API}/runs/{run['id']}/results/",
        params={"level": "ics", "entity": system, "format": "csv"},
        timeout=60,
    )
    answer.raise_for_status()
    return pd.read_csv(io.StringIO(answer.text))


def results_json(session: requests.Session, run: dict, system: str) -> pd.DataFrame:
    """The same rows as JSON, page by page: follow `next` until it is null."""
    rows, url = [], f"{API}/runs/{run['id']}/results/"
    params = {"level": "ics", "entity": system, "page_size": 500}
    while url:
        page = session.get(url, params=params, timeout=60)
        page.raise_for_status()
        rows += page.json()["results"]
        url, params = page.json()["next"], None  # `next` carries the filters already
    return pd.DataFrame(rows)


def main(system: str, baseline: str) -> None:
    session = api_session(os.environ["PLANNER_USERNAME"], os.environ["PLANNER_PASSWORD"])
    run = wait_for(session, start_run(session, system, baseline))
    table = results_csv(session, run, system)
    same = results_json(session, run, system)
    print(f"Run {run['id']}: {len(table)} rows as CSV, {len(same)} as JSON")
    gap = table.pivot_table(index="year", columns="staff_group", values="gap_p50")
    print(gap.round(1).to_string())


if __name__ == "__main__":
    main(*(sys.argv[1:3] if len(sys.argv) > 2 else ("QKK", "2026-02")))
