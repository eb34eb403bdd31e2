"""Vietnamese text helpers: one normal form for storage, one folded form for search."""

import unicodedata


def nfc(value):
    """Return the string in Unicode NFC, the form every Vietnamese name is stored in."""
    return unicodedata.normalize("NFC", value) if value else value


def fold(value):
    """Fold a string for diacritic-insensitive search.

    "Thanh Hóa", "Thanh Hoá" (the other tone-mark placement), "THANH HOA" and text in NFD
    all fold to "thanh hoa": marks are stripped after NFD decomposition, đ becomes d, and
    runs of white space collapse.
    """
    if not value:
        return ""
    decomposed = unicodedata.normalize("NFD", value)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    stripped = stripped.replace("đ", "d").replace("Đ", "D")
    return " ".join(stripped.lower().split())
