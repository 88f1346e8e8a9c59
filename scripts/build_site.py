"""Build the course website from the committed notebooks, without re-executing them.

    python scripts/build_site.py              # into site/
    python scripts/build_site.py --out DIR

Stages the pages in a temporary folder, then runs Sphinx (MyST-NB, sphinx-book-theme; the
configuration is docs/conf.py) with warnings as errors:
- the home page: README.md's introduction, its "Notebooks" table, the assignments and the
  "For instructors" section, and notebooks/NOTES.md as a page of its own if it exists;
- one page per lesson notebook and per student assignment, their stored outputs as they are,
  each under a header: the Colab badge, a download link for the .ipynb, and the full-mode
  run's wall time and versions (`metadata.gan_course`).
The Colab and GitHub addresses come from pyproject.toml's [project.urls] Repository.
Needs the docs extra: pip install -e ".[docs]".
"""

import argparse
import json
import re
import shutil
import sys
import tempfile
import time
import tomllib
from pathlib import Path

from sphinx.cmd.build import build_main

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
ASSIGNMENTS = sorted((ROOT / "assignments" / "student").glob("*/*.ipynb"))
NOTES = ROOT / "notebooks" / "NOTES.md"
GITHUB, COLAB = "https://github.com/", "https://colab.research.google.com/github/"
BADGE = "https://colab.research.google.com/assets/colab-badge.svg"
# A notebook's own badge line: the page header carries the badge instead.
BADGE_LINE = re.compile(
    r"^\[!\[Open In Colab\]\(.*\)\]\(https://colab\.research\.google\.com/.*\)[ \t]*$\n?", re.MULTILINE)


def repository_url():
    """The repository's address, from the one place it is kept: pyproject.toml."""
    with open(ROOT / "pyproject.toml", "rb") as f:
        url = tomllib.load(f)["project"]["urls"]["Repository"].rstrip("/")
    if not url.startswith(GITHUB):
        raise SystemExit(f"pyproject.toml's Repository, {url}, is not on GitHub, where Colab "
                         "opens notebooks from.")
    return url


def readme_section(readme, heading):
    """The README section whose `## ` heading starts with `heading`, heading line included."""
    match = re.search(rf"^## {re.escape(heading)}.*?(?=^## |\Z)", readme, re.MULTILINE | re.DOTALL)
    if match is None:
        raise SystemExit(f"README.md has no '## {heading}' section, which the home page shows.")
    return match.group(0).rstrip() + "\n"


def home_page():
    """index.md: the README's introduction, course table and instructor guide, and the toctrees."""
    readme = (ROOT / "README.md").read_text()
    intro = readme[:readme.index("\n## ")].rstrip() + "\n"
    lessons = "\n".join(f"notebooks/{p.stem}" for p in LESSONS)
    assignments = "\n".join(f"assignments/student/{p.parent.name}/{p.stem}" for p in ASSIGNMENTS)
    notes = "\n```{toctree}\n:caption: Notes\n\nnotebooks/NOTES\n```\n" if NOTES.exists() else ""
    return (f"{intro}\n{readme_section(readme, 'Notebooks')}\n"
            f"```{{toctree}}\n:caption: Lessons\n:hidden:\n\n{lessons}\n```\n\n"
            f"## Assignments\n\n"
            f"```{{toctree}}\n:caption: Assignments\n:maxdepth: 1\n\n{assignments}\n```\n\n"
            f"{readme_section(readme, 'For instructors')}{notes}")


def page_header(path, nb, repo):
    """The box under a page's title: Colab badge, download and GitHub links, how it was run
    (from `metadata.gan_course`)."""
    rel = path.relative_to(ROOT).as_posix()
    meta = nb["metadata"].get("gan_course")
    if meta is None:  # a student notebook ships unexecuted
        about = ("A graded exercise, shipped unexecuted: fill in each `...` and run the "
                 "`grader.check` cell under it. On Colab the setup cell installs the course and "
                 "the checks.")
    else:
        minutes, seconds = divmod(meta["wall_seconds"], 60)
        about = (f"Outputs from the full-mode run of {meta['executed']}: {minutes} min {seconds} s "
                 f"on {meta['machine']}, TensorFlow {meta['tensorflow']}, Keras {meta['keras']}, "
                 f"gan_course {meta['gan_course']}.")
    colab = f"{COLAB}{repo.removeprefix(GITHUB)}/blob/main/{rel}"
    return (f"```{{container}} page-info\n[![Open In Colab]({BADGE})]({colab})\n"
            f"{{download}}`Download {path.name} </_originals/{rel}>`\n"
            f"[View on GitHub]({repo}/blob/main/{rel})\n\n{about}\n```\n")


# A lesson's header image, by its absolute raw URL (for GitHub and Colab); the site serves its
# own copy, so that pages build and show offline.
RAW_IMAGE = re.compile(r'<img src="https://raw\.githubusercontent\.com/[\w.-]+/[\w.-]+/[\w.-]+/'
                       r'notebooks/(images/[^"]+)"[^>]*?alt="([^"]*)"[^>]*>')


def stage_notebook(path, src, repo):
    """Copy a notebook into the site's sources with the page header under its title, and
    its header image pointed at the site's copy."""
    nb = json.loads(path.read_text())
    for markdown in (c for c in nb["cells"] if c["cell_type"] == "markdown"):
        markdown["source"] = RAW_IMAGE.sub(r"![\2](\1)", "".join(markdown["source"]))
    cell = next(c for c in nb["cells"] if c["cell_type"] == "markdown")
    title, _, rest = "".join(cell["source"]).partition("\n")
    if not title.startswith("# "):
        raise SystemExit(f"{path.relative_to(ROOT)}: the first markdown cell must start with its "
                         f"'# ' title, not {title!r}.")
    body = BADGE_LINE.sub("", rest).lstrip()
    cell["source"] = f"{title}\n\n{page_header(path, nb, repo)}\n{body}"
    rel = path.relative_to(ROOT)
    (src / rel).parent.mkdir(parents=True, exist_ok=True)
    (src / rel).write_text(json.dumps(nb))
    (src / "_originals" / rel).parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(path, src / "_originals" / rel)


def build(out):
    """Stage the sources and build the site into `out`; returns the number of pages."""
    if out.exists() and any(out.iterdir()) and not (out / ".buildinfo").exists():
        raise SystemExit(f"{out} is not empty and holds no earlier build of the site: not "
                         "replacing it.")
    repo = repository_url()
    # Everything is built next to `out`, then moved there: MyST-NB writes its jupyter_execute/
    # folder beside Sphinx's output folder.
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".site-build-", dir=out.parent) as tmp:
        src, html = Path(tmp) / "src", Path(tmp) / "html"
        src.mkdir()
        (src / "index.md").write_text(home_page())
        for path in LESSONS + ASSIGNMENTS:
            stage_notebook(path, src, repo)
        shutil.copytree(ROOT / "notebooks" / "images", src / "notebooks" / "images")
        if NOTES.exists():
            shutil.copy2(NOTES, src / "notebooks" / "NOTES.md")
        status = build_main(["-W", "-q", "-b", "html", "-c", str(ROOT / "docs"),
                             "-d", str(Path(tmp) / "doctrees"), str(src), str(html)])
        if status:
            raise SystemExit(f"Sphinx failed (exit status {status}): see its messages above.")
        shutil.rmtree(out, ignore_errors=True)
        html.rename(out)
    return len(LESSONS) + len(ASSIGNMENTS) + 1 + NOTES.exists()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "site",
                        help="output folder (default: site/)")
    args = parser.parse_args()
    start = time.perf_counter()
    pages = build(args.out.resolve())
    print(f"{pages} pages built into {args.out} in {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    sys.exit(main())
