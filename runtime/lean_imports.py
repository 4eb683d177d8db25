"""Keep TensorFlow, and what it brings with it, out of the Rasa server.

The model is TensorFlow-free (config.yml: count vectors, logistic regression, RulePolicy),
yet the Rasa server imported TensorFlow at start, and with it Keras, JAX, h5py, TensorBoard
and more: about 5,000 modules and a few hundred MB of resident memory that no turn ever
used. Three paths brought it in:

1. spaCy's machine-learning library, thinc, tries ``import tensorflow`` (and h5py) in
   ``thinc.compat`` to offer its TensorFlow wrapper layers. The project's spaCy pipeline is
   rule-based (nlu/), with no such layer. ``keep_tensorflow_out()`` imports
   ``thinc.compat`` first, with TensorFlow and h5py looking absent for that one import, so
   thinc records them as not installed (``has_tensorflow = False``); a pipeline that did
   hold a TensorFlow layer would fail to load with thinc's own error naming it.
2. Rasa's policy and featurizer modules import ``rasa.nlu.extractors.extractor``, which
   imports ``rasa.utils.train_utils`` at module level (and uses nothing of it); that
   module imports ``rasa.utils.tensorflow.callback`` at module level, which imports
   TensorFlow. ``keep_tensorflow_out()`` also makes ``rasa.utils.train_utils`` a lazily
   loaded module (the standard library's ``importlib.util.LazyLoader``): ``import`` gives
   the module object at once and runs its code on the first attribute read, so a
   component that trains or uses a TensorFlow model still gets the whole module when it
   first uses it.
   ``rasa.utils.plotting`` (matplotlib, Pillow) is deferred the same way: the server
   imports it with ``rasa.nlu.test`` for its model-test endpoint and never draws a chart.
3. Loading a model reads its metadata, and ``ModelMetadata.from_dict`` rebuilds the
   *training* graph as well as the prediction graph, importing the class of every
   training node; one of them, ``DefaultV1RecipeValidator``, imports ``DIETClassifier``,
   which imports TensorFlow. A server never runs the training graph.
   ``metadata_from_dict`` (installed by runtime/patches.py) builds the metadata with
   Rasa's own ``from_dict`` and gives it a ``DeferredGraphSchema``
   (``deferred_schema_class()``) for the training graph: the same schema, rebuilt with
   Rasa's ``GraphSchema.from_dict`` when something first reads its nodes.

All three are speed-ups in runtime/patches.py's sense (same behaviour, less memory): with
``RUNTIME_SPEEDUPS=off`` or ``RUNTIME_SPEEDUPS_LEAVE_OUT=runtime.lean_imports`` the server
imports TensorFlow as Rasa does. tests/reliability/test_lean_imports.py starts a server and
checks that it answers without TensorFlow in its process.
"""

from __future__ import annotations

import copy
import functools
import importlib.abc
import importlib.machinery
import importlib.util
import sys
from collections.abc import Sequence
from typing import Any

# Rasa modules imported at start-up for nothing a served turn uses, whose own imports bring
# TensorFlow (train_utils) or matplotlib (plotting, for `rasa test` reports) in: loaded when
# one of their attributes is first read.
DEFERRED_MODULES = ("rasa.utils.train_utils", "rasa.utils.plotting")

# What thinc.compat tries to import for TensorFlow wrapper layers the pipeline does not have.
HIDDEN_FROM_THINC = ("tensorflow", "h5py")

# Packages the Rasa server of this project never needs in memory (checked by the test).
NOT_LOADED = ("tensorflow", "keras", "jax", "h5py", "tensorboard", "matplotlib")


class _DeferredLoading(importlib.abc.MetaPathFinder):
    """Finds the modules of DEFERRED_MODULES as Python would, with a lazy loader."""

    def find_spec(self, name: str, path: Sequence[str] | None,
                  target: Any = None) -> importlib.machinery.ModuleSpec | None:
        if name not in DEFERRED_MODULES:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path, target)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        spec.loader = importlib.util.LazyLoader(spec.loader)
        return spec


class _Absent(importlib.abc.MetaPathFinder):
    """Makes the packages of HIDDEN_FROM_THINC look not installed while it is in place."""

    def find_spec(self, name: str, path: Sequence[str] | None,
                  target: Any = None) -> importlib.machinery.ModuleSpec | None:
        if name.split(".")[0] in HIDDEN_FROM_THINC:
            raise ImportError(f"{name} is not used by the Rasa server (runtime/lean_imports.py)",
                              name=name)
        return None


def _import_thinc_without_tensorflow() -> None:
    if "thinc.compat" in sys.modules:
        return
    absent = _Absent()
    sys.meta_path.insert(0, absent)
    try:
        importlib.import_module("thinc.compat")
    except ImportError:  # thinc not installed: nothing to keep out
        pass
    finally:
        sys.meta_path.remove(absent)


def keep_tensorflow_out() -> None:
    """Import thinc.compat without TensorFlow and install the lazy loading of
    DEFERRED_MODULES (once; before Rasa and spaCy are imported, or what is already imported
    stays as it is)."""
    _import_thinc_without_tensorflow()
    if not any(isinstance(finder, _DeferredLoading) for finder in sys.meta_path):
        sys.meta_path.insert(0, _DeferredLoading())


@functools.lru_cache(maxsize=1)
def deferred_schema_class() -> Any:
    """``DeferredGraphSchema``: a ``GraphSchema`` kept serialised until its nodes are first
    read (made on first use, so that importing this module imports no Rasa module)."""
    from rasa.engine.graph import GraphSchema

    class DeferredGraphSchema(GraphSchema):  # type: ignore[misc]
        def __init__(self, serialized: dict[str, Any]) -> None:
            # GraphSchema.from_dict writes classes into the dict it reads: keep a copy
            self._serialized = copy.deepcopy(serialized)
            self._schema: Any = None

        @property  # type: ignore[misc]
        def nodes(self) -> dict[str, Any]:
            if self._schema is None:
                self._schema = GraphSchema.from_dict(copy.deepcopy(self._serialized))
            return self._schema.nodes  # type: ignore[no-any-return]

        @property
        def loaded(self) -> bool:
            """Whether the nodes have been rebuilt (their classes imported)."""
            return self._schema is not None

        def __eq__(self, other: object) -> bool:
            if isinstance(other, GraphSchema):
                return bool(self.nodes == other.nodes)
            return NotImplemented

        __hash__ = None  # type: ignore[assignment]  # as GraphSchema's (a dataclass, eq)

    return DeferredGraphSchema


def _original_from_dict() -> Any:
    from runtime import patches

    return patches.original(next(p for p in patches.PATCHES
                                 if p.replacement == f"{__name__}:metadata_from_dict"))


def metadata_from_dict(cls: Any, serialized: dict[str, Any]) -> Any:
    """Replaces ``ModelMetadata.from_dict``: Rasa's own, with the training graph kept
    serialised until it is read (a server reads only the prediction graph)."""
    metadata = _original_from_dict().__func__(
        cls, {**serialized, "train_schema": {"nodes": {}}})
    metadata.train_schema = deferred_schema_class()(serialized["train_schema"])
    return metadata
