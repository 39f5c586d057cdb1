"""notebooks/walkthrough.ipynb runs top to bottom (nbclient, kernel python3) and draws its plot."""
import os

import pytest

from annotate_support import PROJECT_DIR, needs_model, needs_seeds

NOTEBOOK = PROJECT_DIR / "notebooks" / "walkthrough.ipynb"


@needs_model
@needs_seeds
def test_walkthrough_runs(monkeypatch):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert all(not c.get("outputs") and not c.get("execution_count") for c in nb.cells if c.cell_type == "code"), \
        "commit the notebook without outputs"
    # the kernel inherits the environment: make the source checkout importable, keep ENTNORM_* settings
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(PROJECT_DIR), os.environ.get("PYTHONPATH")])))
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    client = nbclient.NotebookClient(nb, kernel_name="python3", timeout=900,
                                     resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    client.execute()  # raises CellExecutionError naming the failing cell
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs), "no plot output"
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "canonical entities" in text and "surface forms" in text
