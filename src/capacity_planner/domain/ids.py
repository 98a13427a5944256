"""IDs are trimmed strings compared case-insensitively (DESIGN section 3)."""

from __future__ import annotations

import unicodedata


def id_key(value: object) -> str:
    """The comparison key of an ID: trimmed, Unicode NFC, case-folded."""
    if value is None:
        return ""
    return unicodedata.normalize("NFC", str(value)).strip().casefold()


def loose_key(value: object) -> str:
    """A looser key that also folds compatibility forms and every kind of space, used to
    report near-duplicates (``"Surrey\\u00a0"`` vs ``"Surrey"``) that ``id_key`` keeps apart."""
    text = unicodedata.normalize("NFKC", str(value or ""))
    return "".join(text.split()).casefold()


def clean_id(value: object) -> str:
    """The ID as the user wrote it, trimmed of ordinary spaces at both ends."""
    return "" if value is None else str(value).strip()
