"""The committed notebooks: executed top to bottom in full mode, clean outputs, one setup."""

import json
import re
from decimal import Decimal
from pathlib import Path

import keras
import numpy as np
import pytest
import tensorflow as tf

from gan_course import data, models, train as T

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
TF_NOISE = re.compile(r"absl::InitializeLog|cuInit|remapper failed|oneDNN custom operations|"
                      r"cudart_stub|^[IWEF]\d{4} \d\d:\d\d", re.M)
FIGURE_CALLS = ("plt.show()", "show_grid(", "display(Image(")


def load(path):
    return json.loads(path.read_text())


def code_cells(nb):
    return [c for c in nb["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()]


def source(cell):
    return "".join(cell["source"])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_executed_in_full_mode(path):
    nb = load(path)
    counts = [c["execution_count"] for c in code_cells(nb)]
    assert counts == list(range(1, len(counts) + 1)), \
        "re-run it top to bottom: python scripts/execute_notebooks.py " + path.name
    meta = nb["metadata"].get("gan_course", {})
    assert meta.get("mode") == "full", "commit the full-mode run (scripts/execute_notebooks.py)"
    assert meta.get("wall_seconds", 0) > 0 and meta.get("gan_course") and meta.get("tensorflow")
    assert nb["metadata"].get("accelerator") == "GPU", "Colab should open it on a GPU runtime"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_outputs_are_clean_and_complete(path):
    nb = load(path)
    for cell in code_cells(nb):
        outputs = cell.get("outputs", [])
        kinds = {o["output_type"] for o in outputs}
        assert "error" not in kinds, f"a cell failed: {source(cell)[:80]!r}"
        stderr = "".join("".join(o["text"]) for o in outputs
                         if o["output_type"] == "stream" and o["name"] == "stderr")
        assert not TF_NOISE.search(stderr), f"TensorFlow log lines stored: {stderr[:200]!r}"
        if any(call in source(cell) for call in FIGURE_CALLS):
            images = [o for o in outputs if {"image/png", "image/gif"} & set(o.get("data", {}))]
            assert images, f"figure cell without its image: {source(cell)[:80]!r}"
    text = json.dumps(nb)
    assert not re.search(r"/(work|root|home|tmp)/[A-Za-z]", text), "absolute machine path"
    markdown = " ".join(source(c) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert "Summary" in markdown and "Exercises" in markdown


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_setup_and_parameters(path):
    """One setup cell everywhere (tests/test_project.py checks its URL and version), and a
    papermill `parameters` cell that holds the fast switch."""
    cells = code_cells(load(path))
    setup = source(cells[0])
    assert "REPO, VERSION = " in setup and "print_setup()" in setup and "raise RuntimeError" in setup
    params = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(params) == 1 and 'FAST = os.environ.get("GAN_COURSE_FAST") == "1"' in source(params[0])


def test_minimal_step_of_notebook_01_matches_the_course_step():
    """The 15-line step that notebook 01 writes out does the work of
    gan_train_step(updates="simultaneous", grad_norms=False): same losses, step by step."""
    nb = load(ROOT / "notebooks" / "01_vanilla_gan.ipynb")
    cell = next(c for c in nb["cells"] if "minimal-step" in c.get("metadata", {}).get("tags", []))
    namespace = {"keras": keras, "tf": tf}
    exec(source(cell), namespace)
    (x, _), _ = data.load_mnist()
    batches = [data.to_unit_range(x[i * 32:(i + 1) * 32]) for i in range(4)]
    losses = []
    for make_step in (lambda *p: namespace["minimal_train_step"](*p, keras.random.SeedGenerator(3)),
                      lambda *p: T.make_train_step(*p, seed=3, updates="simultaneous",
                                                   grad_norms=False)):
        T.set_seed(3)
        players = (models.mlp_generator(latent_dim=16, hidden=(32, 64)),
                   models.mlp_discriminator((64, 32), dropout=0.3),
                   keras.optimizers.Adam(1e-3, beta_1=0.5), keras.optimizers.Adam(1e-3, beta_1=0.5))
        step = make_step(*players)
        losses.append([[float(o["d_loss"]), float(o["g_loss"])] for o in map(step, batches)])
    np.testing.assert_allclose(losses[0], losses[1], rtol=1e-5)
    assert len({tuple(row) for row in losses[0]}) == 4  # the players moved between steps


def test_execute_script_strips_tensorflow_log_lines_only():
    import importlib.util

    import nbformat
    spec = importlib.util.spec_from_file_location("execute_notebooks",
                                                  ROOT / "scripts" / "execute_notebooks.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    cell = nbformat.v4.new_code_cell("import tensorflow")
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stderr", text=(
            "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR\n"
            "E0000 00:00:1795612603.490810    5598 meta_optimizer.cc:967] remapper failed: x\n")),
        nbformat.v4.new_output("stream", name="stderr", text="UserWarning: a real warning\n"),
        nbformat.v4.new_output("stream", name="stdout", text="TensorFlow 2.21\n"),
    ]
    nb = nbformat.v4.new_notebook(cells=[cell])
    assert script.strip_tf_noise(nb) == 2
    assert [o.text for o in nb.cells[0].outputs] == ["UserWarning: a real warning\n", "TensorFlow 2.21\n"]


def test_execute_script_stamps_the_running_course_version_into_the_setup_cell():
    import importlib.util

    import nbformat
    spec = importlib.util.spec_from_file_location("execute_notebooks",
                                                  ROOT / "scripts" / "execute_notebooks.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    nb = nbformat.read(NOTEBOOKS[0], as_version=4)
    script.stamp_version(nb, "9.8.7")
    setup = code_cells(nb)[0]["source"]
    assert 'REPO, VERSION = "https://github.com/' in setup and '", "9.8.7"  #' in setup
    with pytest.raises(ValueError, match="setup cell"):
        script.stamp_version(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")]),
                             "1.0")


# --- Markdown states only what the run printed ----------------------------------------------

# A figure in a lesson's prose is a number with a decimal point or a percent sign. Each must be
# printed by an output of the notebook (stream text, text/plain or text/markdown), appear in the
# source of a code cell (a setting), be cited from a paper in the same sentence ("et al." or an
# author and a year), or be one of FIGURE_EXCEPTIONS; otherwise it is a measurement nobody can
# see in the notebook (a pilot run, an earlier version), and belongs in notebooks/NOTES.md.
# LaTeX, code (inline or fenced), URLs, link targets, HTML tags and version numbers are not prose.
PROSE_FIGURE = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?\s*%|\d+\.\d+)(?![\w.]*\d)")
NOT_PROSE = [
    re.compile(r"```.*?```", re.S),                      # fenced code
    re.compile(r"\$\$.*?\$\$|\$[^$\n]+\$", re.S),         # LaTeX
    re.compile(r"`[^`]+`"),                                # inline code, wrapped or not
    re.compile(r"\]\([^)\s]*\)|https?://\S+|<[^>]*>"),   # link and image targets, URLs, HTML
    re.compile(r"\b(?:v|version |Python |TensorFlow |Keras |CUDA |NumPy )\d+(?:\.\d+)+\b"
               r"|\b\d+\.\d+\.\d+\b"),                    # versions
]
CITATION = re.compile(r"et al\.|\([^()]*[A-Z][^()]*\b(?:19|20)\d\d[a-z]?\)"
                      r"|[A-Z][\w-]+(?: and [A-Z][\w-]+)?,? (?:19|20)\d\d\b")
SENTENCE_END = re.compile(r"(?<!et al\.)(?<=[.!?])\s+(?=[A-Z(*#|-])"  # a sentence, a paragraph,
                          r"|\n\s*\n|\n(?=\s*(?:[-|#]|\d+\.\s))")  # a list item, a table row
# Figures that are neither printed nor in a code cell, each with its reason:
FIGURE_EXCEPTIONS = {
    "04_instability.ipynb": {
        "99.7 %": "the textbook share of a 1-D Gaussian within 3 std, a property of the normal law",
    },
    "05_evaluating_gans.ipynb": {
        "99.3%": "the shipped MNIST classifier's test accuracy, documented in gan_course/metrics.py",
    },
    "06_conditional_gan.ipynb": {
        "99.3 %": "the shipped MNIST classifier's test accuracy, documented in gan_course/metrics.py",
    },
    "09_gans_as_tools.ipynb": {
        "90.5 %": "the shipped Fashion-MNIST classifier's test accuracy, in gan_course/metrics.py",
    },
}


def _number(token):
    """'38.0 %' -> ('38', True); '0.2220' -> ('0.222', False); '7.0' -> ('7.0', False), so that
    a decimal is not shown by the integer 7."""
    percent = token.endswith("%")
    value = token.rstrip("% ")
    if "." in value:
        value = value.rstrip("0")
        value = value.rstrip(".") if percent else value + "0" * value.endswith(".")
    return value, percent


def _figures(text):
    """The numbers of `text` as normalised (value, is_percent) pairs."""
    return {_number(t) for t in re.findall(r"(?<![\w.])\d+(?:\.\d+)?(?:\s*%)?", text)}


def _output_text(nb):
    texts = []
    for cell in code_cells(nb):
        for out in cell.get("outputs", []):
            if out["output_type"] == "stream":
                texts.append("".join(out["text"]))
            for kind in ("text/plain", "text/markdown"):
                value = out.get("data", {}).get(kind, "")
                texts.append("".join(value) if isinstance(value, list) else value)
    return "\n".join(texts)


def unprinted_figures(nb, name=""):
    """[(figure, sentence)] for each figure of the markdown that nothing in the notebook shows."""
    seen = _figures(_output_text(nb)) | _figures("\n".join(source(c) for c in code_cells(nb)))
    values = {v for v, _ in seen}
    # a percent is shown by the same percent or by its fraction (38 % by 0.38)
    percents = {v for v, pct in seen if pct} | {_number(f"{Decimal(v) * 100}%")[0]
                                                  for v in values if v.startswith("0.")}
    excepted = {_number(figure) for figure in FIGURE_EXCEPTIONS.get(name, {})}
    missing = []
    for cell in nb["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        prose = source(cell)
        for pattern in NOT_PROSE:
            prose = pattern.sub(" ", prose)
        for sentence in SENTENCE_END.split(prose):
            if CITATION.search(sentence):
                continue
            for token in PROSE_FIGURE.findall(sentence):
                value, percent = _number(token)
                if value in (percents if percent else values) or (value, percent) in excepted:
                    continue
                missing.append((token, " ".join(sentence.split())))
    return missing


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_markdown_states_no_figure_that_no_output_prints(path):
    missing = unprinted_figures(load(path), path.name)
    lines = [f"  {figure!r} in: {sentence[:160]}" for figure, sentence in missing]
    assert not missing, ("figures in the markdown that no output prints (state the question "
                         "instead, cite the paper, or move pilot numbers to notebooks/NOTES.md):\n"
                         + "\n".join(lines))
