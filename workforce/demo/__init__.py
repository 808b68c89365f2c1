"""Deterministic, plausible demo data, seeded by `manage.py seed_demo`.

Each module adds one part and is listed in STEPS in the order they depend on each other.
"""

STEPS = [
    "core.demo.providers",
    "core.demo.shares",
    "core.demo.people",
    "core.demo.published",
    "workforce.demo.planning",
    "workforce.demo.returns",
    "workforce.demo.social_care",
    "workforce.demo.months",
    "education.demo",
    "workforce.demo.runs",
    "workforce.demo.backtests",
]
