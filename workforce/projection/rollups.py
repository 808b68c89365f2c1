"""An organisation's output groups that need their percentiles taken, each distinct sum once,
and what to add up for them. Pure numpy, no Django."""

from __future__ import annotations

import numpy as np


def distinct_rows(
    parents: list[np.ndarray], filled: np.ndarray, present: np.ndarray
) -> tuple[np.ndarray, list[tuple[int, int, np.ndarray]]]:
    """Which (output row, organisation) pairs of a chunk need their percentiles taken, and
    which are copies of another row of the same organisation. `parents` holds the leaves of
    each parent group, `filled` (G, o) whether each organisation has each leaf and `present`
    (G+P, o) whether it has any of each row's leaves.

    A parent group's sum adds the organisation's leaves in order, starting from zero, and its
    absent leaves are zeros: so when it has one leaf it is that leaf's figures exactly, and
    when it has the same leaves as an earlier parent it is that parent's. A practice with only
    GPs sorts their draws once, not once for each group above them. Returns the (G+P, o) mask
    of rows computed and [(row, source row, organisations (a)), ...] in an order in which each
    source is computed first."""
    n_groups = len(filled)
    computed = present.copy()
    copies: list[tuple[int, int, np.ndarray]] = []
    parts = []  # (G, o) each parent's leaves that each organisation has
    for p, members in enumerate(parents):
        inside = np.zeros(n_groups, bool)
        inside[members] = True
        part = filled & inside[:, None]
        parts.append(part)
        single = part.sum(axis=0) == 1
        for leaf in members:
            organisations = np.flatnonzero(single & part[leaf])
            if len(organisations):
                copies.append((n_groups + p, int(leaf), organisations))
        undecided = present[n_groups + p] & ~single
        for earlier in range(p):
            same = undecided & computed[n_groups + earlier] & (part == parts[earlier]).all(axis=0)
            organisations = np.flatnonzero(same)
            if len(organisations):
                copies.append((n_groups + p, n_groups + earlier, organisations))
                undecided &= ~same
        computed[n_groups + p] = undecided
    return computed, copies


def parent_sums(
    parents: list[np.ndarray], filled: np.ndarray, computed: np.ndarray
) -> list[tuple[np.ndarray | None, list[int]]]:
    """For each parent group, the organisations (columns; None: all) whose sums are ranked and
    the leaves to add for them: those at least one of them has. The others' leaves are zeros,
    and adding zero to a sum that starts from zero changes no bit, so they are left out; so are
    the organisations whose figures are a copy of another row's."""
    sums: list[tuple[np.ndarray | None, list[int]]] = []
    for members, wanted in zip(parents, computed, strict=True):
        columns = None if wanted.all() else np.flatnonzero(wanted)
        has = filled[members] if columns is None else filled[members][:, columns]
        sums.append(
            (columns, [int(g) for g, any_ in zip(members, has.any(axis=1), strict=True) if any_])
        )
    return sums
