"""runtime/lean_imports.py: the Rasa server runs without TensorFlow (nor Keras, JAX, h5py,
TensorBoard, matplotlib) in its process, answers as before, and anything that does use
the deferred modules or the training graph still gets them whole."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from harness.paths import MODEL, ROOT
from harness.stack import BotStack
from runtime import lean_imports


def _metadata() -> dict:
    with tarfile.open(MODEL) as archive:
        member = next(m for m in archive.getmembers() if m.name.endswith("metadata.json"))
        return json.load(archive.extractfile(member))


def _python(code: str) -> str:
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", PYTHONWARNINGS="ignore")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip().splitlines()[-1]


def test_rasa_imports_without_tensorflow_and_the_deferred_module_loads_when_used():
    """A fresh interpreter, as the server starts: Rasa's processor and policies import
    without TensorFlow; the first use of rasa.utils.train_utils loads it whole."""
    code = (
        "import sys\n"
        "from runtime.lean_imports import keep_tensorflow_out\n"
        "keep_tensorflow_out()\n"
        "import rasa.core.processor, rasa.core.policies.rule_policy, rasa.server\n"
        "import spacy, thinc.compat\n"
        "before = sorted({m.split('.')[0] for m in sys.modules} & {'tensorflow', 'keras', "
        "'jax', 'h5py', 'tensorboard', 'matplotlib'})\n"
        "assert thinc.compat.has_tensorflow is False\n"
        "import rasa.utils.train_utils as tu\n"
        "ranked = tu.rank_and_mask\n"  # first attribute read: the module runs
        "print(before, 'tensorflow' in sys.modules, callable(ranked))\n"
    )
    assert _python(code) == "[] True True"


def test_without_the_guard_rasa_brings_tensorflow_in():
    """The same imports without keep_tensorflow_out(): what the guard prevents is real."""
    code = ("import sys\nimport rasa.core.processor\n"
            "print('tensorflow' in sys.modules)\n")
    assert _python(code) == "True"


@pytest.mark.skipif(not MODEL.exists(), reason="needs a trained model (make train)")
def test_deferred_training_graph_is_rasas_training_graph():
    from rasa.engine.graph import GraphSchema
    from rasa.engine.storage.storage import ModelMetadata

    from runtime import patches

    serialized = _metadata()
    rasas = patches.original(next(p for p in patches.PATCHES
                                  if p.target.endswith("ModelMetadata.from_dict")))
    expected = rasas(json.loads(json.dumps(serialized)))
    ours = lean_imports.metadata_from_dict(ModelMetadata, json.loads(json.dumps(serialized)))
    assert not ours.train_schema.loaded, "the training graph waits until it is read"
    assert ours.predict_schema == expected.predict_schema
    assert ours.domain.as_dict() == expected.domain.as_dict()
    assert ours.model_id == expected.model_id
    assert ours.train_schema == expected.train_schema  # reading it rebuilds it
    assert ours.train_schema.loaded
    assert isinstance(ours.train_schema, GraphSchema)
    assert ours.train_schema.as_dict() == expected.train_schema.as_dict()
    assert ours.as_dict() == expected.as_dict()


def _mapped_packages(pid: int) -> set[str]:
    """Top-level packages of site-packages with a file mapped into the process (the
    compiled libraries that hold the memory)."""
    found = set()
    for line in Path(f"/proc/{pid}/maps").read_text().splitlines():
        if "site-packages/" in line:
            found.add(line.split("site-packages/", 1)[1].split("/", 1)[0])
    return found


def _run_server(tmp_path: Path, env: dict[str, str]) -> tuple[set[str], str]:
    stack = BotStack(workdir=tmp_path, env=env).start()
    try:
        answer = stack.texts("how much magnesium is in a cup of cooked spinach?")
        return _mapped_packages(stack._rasa.pid), answer
    finally:
        stack.stop()


@pytest.mark.integration
def test_the_server_answers_without_tensorflow_in_its_process(trained_model, tmp_path):
    lean, answer = _run_server(tmp_path / "lean", {})
    assert "mg" in answer and "spinach" in answer.lower(), answer
    assert not lean & set(lean_imports.NOT_LOADED), sorted(lean & set(lean_imports.NOT_LOADED))
    assert "tensorflow" not in lean and "spacy" in lean and "sklearn" in lean
    # the same server with runtime.lean_imports left out loads TensorFlow, as Rasa does
    heavy, same = _run_server(tmp_path / "heavy",
                              {"RUNTIME_SPEEDUPS_LEAVE_OUT": "runtime.lean_imports"})
    assert same == answer
    assert "tensorflow" in heavy
