"""The course's public links, made from the one setting in course.toml.

Usage: python tools/links.py        rewrite the README's badge block from course.toml

`links()` gives the repository and Binder addresses (empty when no repository is
set, so no page shows a dead link); `readme_block()` is the README's badge block.

>>> page_links("owner/course", "main", "02_feature_map_size")["binder"]
'https://mybinder.org/v2/gh/owner/course/main?urlpath=lab/tree/notebooks/02_feature_map_size.ipynb'
>>> page_links("", "main", "02_feature_map_size")
{}
"""
from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SETTING = ROOT / "course.toml"
README = ROOT / "README.md"
BEGIN = "<!-- links: written by tools/links.py from course.toml -->"
END = "<!-- /links -->"
_REPO = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,38}/[A-Za-z0-9._-]{1,100}")


def setting(path: Path = SETTING) -> tuple[str, str]:
    """(repository, branch) from course.toml; the repository is "" when unset."""
    table = tomllib.loads(path.read_text(encoding="utf-8")).get("repository", {})
    repo, branch = table.get("github", "").strip(), table.get("branch", "main").strip()
    if repo and not _REPO.fullmatch(repo):
        raise ValueError(f"`repository.github` in {path.name} must be 'owner/name', got {repo!r}")
    if not branch:
        raise ValueError(f"`repository.branch` in {path.name} must not be empty")
    return repo, branch


def page_links(repo: str, branch: str, notebook: str) -> dict[str, str]:
    """The repository page and the Binder launch of notebooks/`notebook`.ipynb ({} if no repo)."""
    if not repo:
        return {}
    path = f"notebooks/{notebook}.ipynb"
    return {"repository": f"https://github.com/{repo}/blob/{branch}/{path}",
            "binder": f"https://mybinder.org/v2/gh/{repo}/{branch}?urlpath=lab/tree/{path}"}


def readme_block(repo: str, branch: str) -> str:
    """The README's badge block: a Binder badge opening the index, or nothing when unset."""
    links = page_links(repo, branch, "00_index")
    badge = (f"[![Binder](https://mybinder.org/badge_logo.svg)]({links['binder']})\n"
             if links else "")
    return f"{BEGIN}\n{badge}{END}"


def write_readme(path: Path = README) -> bool:
    """Rewrite the badge block of `path` from course.toml; True when the file changed."""
    text = path.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END), re.S)
    if not pattern.search(text):
        raise ValueError(f"{path.name} has no block {BEGIN} … {END}")
    new = pattern.sub(lambda _: readme_block(*setting()), text)
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text


if __name__ == "__main__":
    print("README.md rewritten" if write_readme() else "README.md already matches course.toml")
    sys.exit(0)
