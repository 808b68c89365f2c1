"""The analyst guide's worked example (docs/api.md) runs as printed against a live server."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from core.models import Role, User

from ..conftest import PASSWORD
from .projection_data import scenario, small_system

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "examples" / "system_results.py"


def test_the_guide_prints_the_example_as_it_is():
    guide = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    (block,) = re.findall(r"```python\n(.*?)```", guide, flags=re.DOTALL)
    assert block == EXAMPLE.read_text(encoding="utf-8")


@pytest.mark.django_db(transaction=True)
def test_the_example_pulls_a_systems_results_into_pandas(live_server, reference_data):
    ics = small_system("QKK")
    scenario(ics, name="Central")
    User.objects.create_user(username="analyst-qkk", password=PASSWORD, role=Role.ANALYST, ics=ics)
    result = subprocess.run(
        [sys.executable, str(EXAMPLE), "QKK", "2026-02"],
        env={
            **os.environ,
            "BASE_URL": live_server.url,
            "PLANNER_USERNAME": "analyst-qkk",
            "PLANNER_PASSWORD": PASSWORD,
        },
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    counts = re.search(r"Run \d+: (\d+) rows as CSV, (\d+) as JSON", result.stdout)
    assert counts and counts[1] == counts[2] and int(counts[1]) > 0, result.stdout
    assert "NUR" in result.stdout and "year" in result.stdout  # the gap table by year
