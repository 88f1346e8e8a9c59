"""Sphinx configuration of the course website. Build it with `python scripts/build_site.py`,
which stages the pages (home page, lessons, assignments) and runs Sphinx with this file."""

import tomllib
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform

ROOT = Path(__file__).resolve().parent.parent
with open(ROOT / "pyproject.toml", "rb") as f:
    REPOSITORY = tomllib.load(f)["project"]["urls"]["Repository"].rstrip("/")

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


class LinkRepositoryFiles(SphinxPostTransform):
    """A link to a file of the repository that is no part of the site (README.md, a script)
    goes to that file on GitHub. Runs before MyST's own resolver, which would call it missing;
    the staged pages sit where their notebooks sit in the repository."""

    default_priority = 8

    def run(self, **kwargs):
        docdir = Path(self.env.doc2path(self.env.docname, base=False)).parent
        for node in list(self.document.findall(addnodes.pending_xref)):
            target, _, fragment = node["reftarget"].partition("#")
            if (node["reftype"] != "myst" or not target
                    or (self.env.srcdir / docdir / target).exists()):
                continue  # not a link to a file, or one to a page or image of the site
            path = (ROOT / docdir / target).resolve()
            if not path.exists() or not path.is_relative_to(ROOT):
                continue  # MyST reports it missing
            kind = "blob" if path.is_file() else "tree"
            url = f"{REPOSITORY}/{kind}/main/{path.relative_to(ROOT).as_posix()}"
            node.replace_self(nodes.reference("", "", *node.children, internal=False,
                                              refuri=url + (f"#{fragment}" if fragment else "")))


def setup(app):
    app.add_post_transform(LinkRepositoryFiles)
