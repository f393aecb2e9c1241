"""Sphinx configuration of the static site (built by tools/build_site.py).

Pages come from the stored, executed notebooks (no execution at build time),
and every script the pages load is a local copy, so the site works offline.
"""
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
html_favicon = "_static/favicon.svg"
html_context = {"default_mode": "light"}
html_theme_options = {"navigation_with_keys": True, "show_prev_next": True,
                      "navbar_end": ["navbar-icon-links"], "icon_links": [],
                      "logo": {"text": "Conv arithmetic"}, "header_links_before_dropdown": 3}
# Offline: MathJax and the widget manager from _static (copied from tools/web).
mathjax_path = "vendor/mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML"
# MathJax 2 (the one npm copy shared with the slides): process Sphinx's math spans
# although myst-nb marks notebook pages tex2jax_ignore.
mathjax2_config = {"tex2jax": {"inlineMath": [["\\(", "\\)"]], "displayMath": [["\\[", "\\]"]],
                               "processEscapes": True, "processClass": "math|output_area",
                               "ignoreClass": "tex2jax_ignore"}}
nb_ipywidgets_js = {
    "vendor/require.js": {},
    "vendor/html-manager/embed-amd.js": {"data-jupyter-widgets-cdn-only": "true"},
}
