"""Names as people write them, from names published in capitals. Pure."""

from __future__ import annotations

from functools import lru_cache

# Initials kept in capitals: practices and PCNs are often named by them (MANOR BROOK PMS).
KEEP = {"NHS", "ICB", "UK", "GP", "CIC", "LLP", "II", "PCN", "PMS", "APMS", "GMS", "CCG"}
SMALL = {"and", "of", "the", "for", "in", "on", "upon", "with", "at", "by", "to"}


# Cached: a table names each organisation or system once for every staff group, and the
# names are the few thousand of the reference data. Typed, so that a template's SafeString
# never answers for a plain str of the same text.
@lru_cache(maxsize=8192, typed=True)
def display_name(text: str) -> str:
    """A name published in capitals, as people write it: "GUY'S AND ST THOMAS' NHS
    FOUNDATION TRUST" -> "Guy's and St Thomas' NHS Foundation Trust". Others are kept."""
    if not text or not text.isupper():
        return text
    words = []
    for i, word in enumerate(text.split(" ")):
        if word in KEEP:
            words.append(word)
        elif i and word.lower() in SMALL:
            words.append(word.lower())
        else:
            parts = word.lower().split("-")
            words.append(
                "-".join(
                    p if j and p in SMALL else p[:1].upper() + p[1:] for j, p in enumerate(parts)
                )
            )
    return " ".join(words)


@lru_cache(maxsize=2048, typed=True)
def short_system(text: str) -> str:
    """The short name people use: "NHS SOUTH EAST LONDON INTEGRATED CARE BOARD" -> "South
    East London"."""
    name = display_name(text)
    name = name.removeprefix("NHS ").removesuffix(" Integrated Care Board")
    return name.removesuffix(" ICB")
