"""Keeping answers out of sight in stored outputs: salted hashes and light obfuscation.

Threat model, honestly: this keeps the answer off the screen and out of a casual
look at the page source or the notebook JSON, so a learner thinks before seeing it.
It is NOT security. Anyone who reads ``convlib/web/exercise.js`` can undo the
obfuscation, and the accepted answers of an exercise come from a small domain that
a loop can hash through in microseconds.

* `key_hash` is 64-bit FNV-1a over the UTF-8 bytes of ``salt + "|" + key``; the
  JavaScript twin (`hash` in ``exercise.js``) gives the same 16 hex digits.
* `obfuscate` XORs UTF-8 bytes with the salt's bytes and writes base64.
* `salt_for` derives the salt from the question, so stored outputs are deterministic.
"""
from __future__ import annotations

import base64

__all__ = ["fnv1a64", "key_hash", "salt_for", "obfuscate", "deobfuscate"]

_OFFSET = 0xCBF29CE484222325
_PRIME = 0x100000001B3
_MASK = (1 << 64) - 1


def fnv1a64(data: bytes) -> str:
    """64-bit FNV-1a of `data` as 16 hex digits.

    h = offset; for each byte b: h = ((h XOR b) * prime) mod 2^64

    >>> fnv1a64(b""), fnv1a64(b"a")
    ('cbf29ce484222325', 'af63dc4c8601ec8c')
    """
    h = _OFFSET
    for b in data:
        h = ((h ^ b) * _PRIME) & _MASK
    return f"{h:016x}"


def key_hash(salt: str, key: str) -> str:
    """The stored form of one accepted answer `key` (e.g. ``'n:3,2'``).

    >>> len(key_hash("s1", "n:3")), key_hash("s1", "n:3") == key_hash("s2", "n:3")
    (16, False)
    """
    return fnv1a64(f"{salt}|{key}".encode("utf-8"))


def salt_for(question: str, index: int = 0) -> str:
    """A deterministic salt for one exercise: 8 hex digits from its question.

    >>> salt_for("How many?") == salt_for("How many?"), salt_for("How many?", 1) == salt_for("How many?")
    (True, False)
    """
    return fnv1a64(f"convlib-exercise|{index}|{question}".encode("utf-8"))[:8]


def _xor(data: bytes, salt: str) -> bytes:
    pad = salt.encode("utf-8")
    return bytes(b ^ pad[i % len(pad)] for i, b in enumerate(data))


def obfuscate(text: str, salt: str) -> str:
    """`text` XOR the salt, base64: unreadable at a glance, trivially reversible.

    >>> obfuscate("The answer is 3.", "ab12cd34") != "The answer is 3."
    True
    """
    if not text:
        return ""
    return base64.b64encode(_xor(text.encode("utf-8"), salt)).decode("ascii")


def deobfuscate(blob: str, salt: str) -> str:
    """The inverse of `obfuscate`.

    >>> deobfuscate(obfuscate("3 × 3", "ab12cd34"), "ab12cd34")
    '3 × 3'
    """
    if not blob:
        return ""
    return _xor(base64.b64decode(blob), salt).decode("utf-8")
