"""Where a kashida (tatweel, U+0640) may lengthen an Arabic word, and how a line shares them out.

Pure rules, no fonts and no layout: ``booklet.typeset.kashida`` asks HarfBuzz which
joins the font lets be lengthened and passes them in as ``allowed``.

The priorities are those of Word and LibreOffice (first published for
Internet Explorer 5.5), one point per word, the point nearer the end of the
word winning a tie:

1. after a tatweel the writer typed;
2. after an initial or medial seen or sad;
3. before a final teh marbuta or heh; before dal anywhere;
4. before alef anywhere; before a final tah, lam, kaf or gaf;
5. before a medial beh-like letter followed by reh or yeh;
6. before waw anywhere; before a final ain, qaf or feh;
7. before reh, or before any other final letter.

Never inside lam-alef, never next to a zero-width non-joiner, never between
letters that do not join, and never before a final yeh (except after seen or
sad), as in LibreOffice.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass

TATWEEL = "\u0640"
ZWNJ = "\u200c"

# Joining type and joining group of the Arabic block's letters, from Unicode's
# ArabicShaping.txt (tests/test_kashida.py checks them against it).
_TABLE = {
    ("D", "AIN"): "\u0639\u063a\u06a0\u06fc",
    ("D", "BEH"): "\u0628\u062a\u062b\u066e\u0679\u067a\u067b\u067c\u067d\u067e\u067f\u0680",
    ("D", "FARSI YEH"): "\u063d\u063e\u063f\u06cc\u06ce",
    ("D", "FEH"): "\u0641\u06a1\u06a2\u06a3\u06a4\u06a5\u06a6",
    ("D", "GAF"): "\u063b\u063c\u06a9\u06ab\u06af\u06b0\u06b1\u06b2\u06b3\u06b4",
    ("D", "HAH"): "\u062c\u062d\u062e\u0681\u0682\u0683\u0684\u0685\u0686\u0687\u06bf",
    ("D", "HEH"): "\u0647",
    ("D", "HEH GOAL"): "\u06c1\u06c2",
    ("D", "KAF"): "\u0643\u06ac\u06ad\u06ae",
    ("D", "KNOTTED HEH"): "\u06be\u06ff",
    ("D", "LAM"): "\u0644\u06b5\u06b6\u06b7\u06b8",
    ("D", "MEEM"): "\u0645",
    ("D", "NOON"): "\u0646\u06b9\u06ba\u06bb\u06bc",
    ("D", "NYA"): "\u06bd",
    ("D", "QAF"): "\u0642\u066f\u06a7\u06a8",
    ("D", "SAD"): "\u0635\u0636\u069d\u069e\u06fb",
    ("D", "SEEN"): "\u0633\u0634\u069a\u069b\u069c\u06fa",
    ("D", "SWASH KAF"): "\u06aa",
    ("D", "TAH"): "\u0637\u0638\u069f",
    ("D", "YEH"): "\u0620\u0626\u0649\u064a\u0678\u06d0\u06d1",
    ("R", "ALEF"): "\u0622\u0623\u0625\u0627\u0671\u0672\u0673\u0675",
    ("R", "DAL"): "\u062f\u0630\u0688\u0689\u068a\u068b\u068c\u068d\u068e\u068f\u0690\u06ee",
    ("R", "REH"): "\u0631\u0632\u0691\u0692\u0693\u0694\u0695\u0696\u0697\u0698\u0699\u06ef",
    ("R", "TEH MARBUTA"): "\u0629\u06c0\u06d5",
    ("R", "TEH MARBUTA GOAL"): "\u06c3",
    ("R", "WAW"): "\u0624\u0648\u0676\u0677\u06c4\u06c5\u06c6\u06c7\u06c8\u06c9\u06ca\u06cb\u06cf",
    ("R", "YEH BARREE"): "\u06d2\u06d3",
    ("R", "YEH WITH TAIL"): "\u06cd",
    ("U", ""): "\u0621\u0674\u06dd",
    ("C", ""): "\u0640\u200d",
}
JOINING = {char: key for key, chars in _TABLE.items() for char in chars}

_BEH_LIKE = {"BEH", "NOON", "NYA", "YEH", "FARSI YEH"}
_YEH_LIKE = {"YEH", "FARSI YEH", "YEH BARREE", "YEH WITH TAIL"}

#: A word needs this many letters before it is lengthened: shorter ones look broken, not stretched.
MIN_LETTERS = 4


def joining(char: str) -> tuple[str, str]:
    """``(joining type, joining group)``: marks are transparent ("T"), what the table lacks does not join ("U")."""
    if char in JOINING:
        return JOINING[char]
    if unicodedata.category(char) in ("Mn", "Me", "Cf") and char != ZWNJ:
        return ("T", "")
    return ("U", "")


def is_arabic_word(word: str) -> bool:
    """Arabic letters, their marks and tatweels only: no digits, no Latin, no punctuation."""
    return bool(word) and all(
        ("\u0600" <= c <= "\u06ff" and unicodedata.category(c) in ("Lo", "Lm", "Mn")) or c == ZWNJ for c in word
    )


def letters(word: str) -> list[int]:
    """The indices of the word's letters (its marks left out)."""
    return [i for i, c in enumerate(word) if joining(c)[0] != "T"]


@dataclass(frozen=True)
class Point:
    """Insert tatweels at ``index`` of the word (after the marks of the letter before); 1 is the best ``priority``."""

    index: int
    priority: int


def kashida_point(word: str, allowed: frozenset[int] | None = None) -> Point | None:
    """The one place ``word`` may be lengthened, or None.

    ``allowed``: the indices HarfBuzz marks safe to insert a tatweel before in
    the font used (None: every index, for the rules alone).
    """
    if not is_arabic_word(word):
        return None
    base = letters(word)
    if sum(word[i] != TATWEEL for i in base) < MIN_LETTERS:
        return None
    last = base[-1]
    best: Point | None = None
    for n, i in enumerate(base):
        char = word[i]
        if char == TATWEEL:
            # 1: more of what the writer typed; before it looks the same as after.
            best = Point(i, 1)
            continue
        if n == 0 or best is not None and best.priority == 1:
            continue
        prev = word[base[n - 1]]
        kind, group = joining(char)
        prev_kind, prev_group = joining(prev)
        if prev_kind not in ("D", "C") or kind not in ("R", "D", "C") or ZWNJ in (char, prev):
            continue  # the two letters do not join: there is no join to lengthen
        if prev_group == "LAM" and group == "ALEF":
            continue  # lam-alef is one ligature
        if allowed is not None and i not in allowed:
            continue
        final = i == last
        following = joining(word[base[n + 1]])[1] if n + 1 < len(base) else ""
        if prev_group in ("SEEN", "SAD"):
            priority = 2
        elif final and group in _YEH_LIKE:
            continue  # LibreOffice's tdf#65344: before a final yeh looks wrong
        elif group in ("TEH MARBUTA", "DAL") or (final and group == "HEH"):
            priority = 3
        elif group == "ALEF" or (final and group in ("TAH", "LAM", "KAF", "GAF")):
            priority = 4
        elif not final and group in _BEH_LIKE and (following == "REH" or following in _YEH_LIKE):
            priority = 5
        elif group == "WAW" or (final and group in ("AIN", "QAF", "FEH")):
            priority = 6
        elif group == "REH" or final:
            priority = 7
        else:
            continue
        if best is None or priority <= best.priority:
            best = Point(i, priority)  # <=: a tie goes to the end of the word
    return best


def lengthen(word: str, point: Point, count: int) -> str:
    """``word`` with ``count`` tatweels at ``point``."""
    return word[: point.index] + TATWEEL * count + word[point.index :]


def share(priorities: list[int], tatweels: int, max_words: int = 3, per_word: int = 3) -> dict[int, int]:
    """How many tatweels each candidate word of a line gets: ``{candidate index: count}``.

    ``priorities``: one per candidate word, in the line's order; ``tatweels``:
    how many the line's slack pays for. At most ``max_words`` words, spread
    along the line (the best word of each stretch), a few tatweels each
    (``per_word``); one or two tatweels go into one word rather than two.
    """
    if tatweels <= 0 or not priorities:
        return {}
    words = min(max_words, len(priorities), math.ceil(tatweels / 2))
    chosen = []
    for part in range(words):
        start, end = part * len(priorities) // words, (part + 1) * len(priorities) // words
        middle = (start + end - 1) / 2
        chosen.append(min(range(start, end), key=lambda i: (priorities[i], abs(i - middle))))
    total = min(tatweels, words * per_word)
    # The better points get the odd tatweels.
    ranked = sorted(chosen, key=lambda i: priorities[i])
    return {i: total // words + (rank < total % words) for rank, i in enumerate(ranked)}
