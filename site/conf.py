"""Sphinx configuration of the static site (built by tools/build_site.py).

Pages come from the stored, executed notebooks (no execution at build time),
and every script the pages load is a local copy, so the site works offline.
"""
import json
from pathlib import Path

project = "Convolution arithmetic, interactively"
author = "The course authors"
extensions = ["myst_nb"]
root_doc = "index"
exclude_patterns = ["_build", "**.ipynb_checkpoints"]
nb_execution_mode = "off"
myst_enable_extensions = ["dollarmath", "amsmath"]
html_theme = "pydata_sphinx_theme"
html_title = project
html_static_path = ["_static"]
html_css_files = ["course.css"]
html_js_files = ["search-math.js"]
html_copy_source = False        # no _sources/ copies of the notebooks
html_show_sourcelink = False
html_favicon = "_static/favicon.svg"
html_extra_path = ["extra"]     # each chapter's notebook, saved beside its page
# Per page: its repository and Binder addresses ({} while course.toml names no repository).
html_context = {"default_mode": "light",
                "notebook_links": json.loads((Path(__file__).parent / "links.json").read_text())}
html_theme_options = {"navigation_with_keys": True, "show_prev_next": True,
                      "navbar_end": ["navbar-icon-links"], "icon_links": [],
                      # Chapters are in the left sidebar; a header row of long chapter
                      # titles wrapped to three lines at 1280 px.
                      "navbar_center": [], "article_header_end": ["notebook-links"],
                      "logo": {"text": "Conv arithmetic"}}
# Offline: MathJax 3's single bundle from _static (copied from tools/web by
# tools/build_site.py); myst-parser adds the classes it must process.
mathjax_path = "vendor/mathjax/tex-svg-full.js"
mathjax3_config = {"options": {"enableMenu": False}, "svg": {"fontCache": "global"}}
# Widget views were replaced by their stored pictures: no widget manager to load.
nb_ipywidgets_js = {}
# The left sidebar lists every chapter with the sections of the current one
# (pydata's default starts one level down, which is empty for top-level pages).
templates_path = ["_templates"]
html_sidebars = {"**": ["chapters-nav"]}
