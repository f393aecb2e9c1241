"""Chapter references: every chapter 01-08 ends with a References section, every paper a
chapter links (arXiv, Distill) is in 00's bibliography, and 00 links every chapter."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
INDEX = ROOT / "notebooks" / "00_index.md"
CHAPTERS = sorted((ROOT / "notebooks").glob("0[1-9]_*.md"))
PAPER = re.compile(r"https?://(?:www\.)?(?:arxiv\.org|distill\.pub)/[^\s)>\]\"'`]+")


def markdown(path: Path) -> str:
    """The markdown cells of a MyST twin (code cells left out)."""
    return re.sub(r"```\{code-cell\}.*?\n```", "", path.read_text(encoding="utf-8"), flags=re.S)


def normal(url: str) -> str:
    """arXiv's abs / pdf / version spellings and trailing slashes or dots as one address."""
    url = url.rstrip("/.,;:").replace("http://", "https://").replace("www.", "")
    url = re.sub(r"arxiv\.org/pdf/([\d.]+?)(v\d+)?(\.pdf)?$", r"arxiv.org/abs/\1", url)
    return re.sub(r"(arxiv\.org/abs/[\d.]+)v\d+$", r"\1", url)


def bibliography() -> set[str]:
    text = markdown(INDEX)
    return {normal(u) for u in PAPER.findall(text[text.index("## References"):])}


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_every_chapter_ends_with_a_references_section_with_links(path):
    text = markdown(path)
    heads = [m.start() for m in re.finditer(r"^## References\b", text, re.M)]
    assert heads, f"{path.name} has no '## References' heading"
    section = text[heads[-1]:]
    assert re.search(r"https?://", section), f"{path.name}: its References section has no link"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_every_paper_a_chapter_links_is_in_the_index_bibliography(path):
    missing = sorted({normal(u) for u in PAPER.findall(markdown(path))} - bibliography())
    assert not missing, f"{path.name} links papers missing from 00's References: {missing}"


def test_the_bibliography_lists_each_paper_once_with_a_year():
    text = markdown(INDEX)
    lines = [ln for ln in text[text.index("## References"):].splitlines() if PAPER.search(ln)]
    urls = [normal(PAPER.search(ln).group()) for ln in lines]
    assert len(urls) == len(set(urls)) >= 20
    assert all(re.search(r"\((19|20)\d\d\)", ln) for ln in lines), lines


def test_the_index_links_every_chapter_and_only_chapters_that_exist():
    linked = set(re.findall(r"\]\((\d\d_\w+\.ipynb)\)", markdown(INDEX)))
    on_disk = {p.with_suffix(".ipynb").name for p in CHAPTERS}
    assert linked == on_disk
    assert all((ROOT / "notebooks" / name).is_file() for name in linked)


def test_normal_joins_the_spellings_of_one_arxiv_address():
    spellings = ["https://arxiv.org/abs/1603.07285", "http://arxiv.org/abs/1603.07285v2",
                 "https://arxiv.org/pdf/1603.07285.pdf", "https://www.arxiv.org/pdf/1603.07285v1"]
    assert {normal(u) for u in spellings} == {"https://arxiv.org/abs/1603.07285"}
