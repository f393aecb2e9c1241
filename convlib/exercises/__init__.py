"""Self-check exercises (every chapter).

* ``answers``: how a typed answer is read and compared
* ``keys``: salted answer hashes and obfuscated texts stored in the page
* ``task``: one exercise judged without widgets, and its kernel-free checker's data
* ``units``: unit suffixes (10.3M, 12.5%, 3 px) and an asked precision (decimals, sig)

Submodules load on first use (``convlib.exercises.answers``); the public names
are re-exported at the top (``convlib.<name>``).
"""
from .._lazy import attach

__getattr__, __dir__, __all__ = attach(__name__, ["answers", "keys", "task", "units"])
