"""The course's reference material (chapter 00): the formula sheet and reading times.

* ``sheet``: every rule of the course once, with its convlib function and a torch check
* ``measure``: what real torch layers measure for each rule (torch imported lazily)
* ``reading``: each chapter's reading time from its words and exercises, and prerequisites

Submodules load on first use (``convlib.reference.sheet``).
"""
from .._lazy import attach

__getattr__, __dir__, __all__ = attach(__name__, ["sheet", "measure", "reading"])
