"""The shape of the code: layers that run one way, and citations that point at real files."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("core", "education", "workforce", "ics_planner", "tests", "benchmarks", "scripts")
CITED = re.compile(
    r"\b((?:docs|core|education|workforce|ics_planner|tests)/[\w/.-]+\.(?:md|py|csv))"
)


def test_the_layer_contracts_hold():
    """workforce -> education -> core, pure code without Django, the domain without the face:
    the contracts in pyproject.toml, checked by import-linter."""
    lint_imports = Path(sys.executable).with_name("lint-imports")
    answer = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert answer.returncode == 0, answer.stdout + answer.stderr
    assert "3 kept, 0 broken" in answer.stdout


def test_every_file_the_code_and_docs_cite_exists():
    cited: dict[str, set[str]] = {}
    paths = [p for folder in SOURCES for p in (ROOT / folder).rglob("*.py")]
    paths += [*(ROOT / "docs").glob("*.md"), ROOT / "README.md"]
    for path in paths:
        if "migrations" in path.parts:
            continue
        for name in CITED.findall(path.read_text(encoding="utf-8")):
            cited.setdefault(name.rstrip("."), set()).add(str(path.relative_to(ROOT)))
    missing = {name: where for name, where in cited.items() if not (ROOT / name).exists()}
    assert not missing, f"cited but not in the repository: {missing}"
    assert "docs/design.md" in cited  # the design the code cites lives in the repository


def test_no_code_cites_a_design_outside_the_repository():
    offenders = [
        str(path.relative_to(ROOT))
        for folder in SOURCES
        for path in (ROOT / folder).rglob("*.py")
        if re.search(r"(?<![/\w])DESIGN\.md", path.read_text(encoding="utf-8"))
    ]
    assert not offenders


@pytest.mark.django_db
def test_the_migrations_hold_every_model_change():
    from django.core.management import call_command

    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out)
    except SystemExit:
        raise AssertionError(f"a model changed without its migration:\n{out.getvalue()}") from None
