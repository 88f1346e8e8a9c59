"""Sphinx configuration of the course website. Build it with `python scripts/build_site.py`,
which stages the pages (home page, lessons, assignments) and runs Sphinx with this file."""

import tomllib
from pathlib import Path

with open(Path(__file__).resolve().parent.parent / "pyproject.toml", "rb") as f:
    REPOSITORY = tomllib.load(f)["project"]["urls"]["Repository"]

project = "gan-course"
copyright = "the gan-course authors"
extensions = ["myst_nb", "sphinx-mathjax-offline"]  # MathJax served from _static/mathjax
exclude_patterns = ["_originals"]  # the unmodified notebooks, for the download links

# MyST-NB: render the outputs stored in the committed notebooks; never execute them.
nb_execution_mode = "off"
myst_enable_extensions = ["dollarmath", "amsmath"]
myst_heading_anchors = 3

html_theme = "sphinx_book_theme"
html_title = "gan-course"
html_favicon = "_static/favicon.svg"
html_context = {"default_mode": "auto"}  # the theme logs a console error without it
html_theme_options = {
    "repository_url": REPOSITORY,
    "use_repository_button": True,
    "use_download_button": False,  # each page links its unmodified .ipynb instead
}
html_static_path = ["_static"]
html_css_files = ["site.css"]
html_copy_source = False
html_show_sourcelink = False
