"""The committed notebooks: executed top to bottom in full mode, clean outputs, one setup."""

import json
import re
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
