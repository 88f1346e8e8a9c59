"""Move the course to another GitHub repository (a fork, a new home) in one command.

    python scripts/set_repo_url.py https://github.com/OWNER/NAME

The URL is kept in one place, pyproject.toml's [project.urls] Repository. Its copies are the
Colab badges (README and notebooks), the setup cells of the notebooks and assignments
(masters and student notebooks), which clone from it, the course line of the autograder's
assignments/requirements.txt, the raw.githubusercontent.com/OWNER/NAME/ addresses of the
result images at the top of the notebooks (absolute, so that they show on Colab too), and
links to the repository's files. This rewrites all of them; tests/test_project.py checks
that they agree.
"""

import argparse
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GITHUB_URL = re.compile(r"https://github\.com/([\w.-]+/[\w.-]+)")


def files(root):
    """Every file that holds a copy of the URL."""
    return [root / "pyproject.toml", root / "README.md", root / "assignments" / "requirements.txt",
            *sorted(root.glob("notebooks/*.ipynb")),
            *sorted(root.glob("assignments/masters/*.ipynb")),
            *sorted(root.glob("assignments/student/*/*.ipynb"))]


def repository(root):
    """'OWNER/NAME' of the URL in pyproject.toml."""
    url = tomllib.loads((root / "pyproject.toml").read_text())["project"]["urls"]["Repository"]
    return GITHUB_URL.fullmatch(url)[1]


def rewrite(root, url):
    """Point every copy at `url`; returns how many copies were rewritten."""
    match = GITHUB_URL.fullmatch(url.removesuffix("/"))
    if not match or match[1].endswith(".git"):
        raise ValueError(f"expected https://github.com/OWNER/NAME (Colab opens notebooks from "
                         f"GitHub only), got {url!r}.")
    old, new = repository(root), match[1]
    copy = re.compile(rf"(github\.com|colab\.research\.google\.com/github|raw\.githubusercontent\.com)"
                      rf"/{re.escape(old)}(?![\w.-])")
    count = 0
    for path in files(root):
        text, n = copy.subn(lambda m: f"{m[1]}/{new}", path.read_text())
        if n:
            path.write_text(text)
            count += n
    return count


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="https://github.com/OWNER/NAME")
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        count = rewrite(args.root, args.url)
    except ValueError as err:
        parser.exit(2, f"set_repo_url: {err}\n")
    print(f"{count} copies now point at {args.url}. Commit them, and see the README's "
          "'Publishing the course' for the release tag the notebooks install.")


if __name__ == "__main__":
    sys.exit(main())
