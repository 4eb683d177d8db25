"""runtime.speedups.SequentialGraphRunner gives what Rasa's DaskGraphRunner gives."""

from __future__ import annotations

from typing import Any

import pytest
from rasa.engine.exceptions import GraphComponentException, GraphRunError
from rasa.engine.graph import ExecutionContext, GraphComponent, GraphSchema, SchemaNode
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.engine.storage.local_model_storage import LocalModelStorage

from runtime import speedups
from runtime.speedups import SequentialGraphRunner

CALLS: list[str] = []


class Step(GraphComponent):
    """Records its call and combines its inputs into a string."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.label = config["label"]

    @classmethod
    def create(cls, config, model_storage, resource, execution_context) -> Step:
        return cls(config)

    def combine(self, **inputs: Any) -> str:
        CALLS.append(self.label)
        if "boom" in inputs.values():
            raise ValueError("broken input")
        parts = [f"{key}={inputs[key]}" for key in sorted(inputs)]
        return f"{self.label}({', '.join(parts)})"


def node(label: str, **needs: str) -> SchemaNode:
    return SchemaNode(needs=needs, uses=Step, constructor_name="create", fn="combine",
                      config={"label": label})


# A diamond with an input, a branch that only some targets need, and two targets.
SCHEMA = GraphSchema({
    "a": node("a", text="__message__"),
    "b": node("b", left="a"),
    "c": node("c", right="a"),
    "d": node("d", x="b", y="c"),
    "side": node("side", source="b"),
    "target_one": node("t1", value="d"),
    "target_two": node("t2", value="side", other="d"),
})


def runners(tmp_path):
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(SCHEMA, "model-id")
    return (DaskGraphRunner(SCHEMA, storage, context),
            SequentialGraphRunner(SCHEMA, storage, context))


@pytest.mark.parametrize("targets", [["target_one"], ["target_two"],
                                     ["target_one", "target_two"], ["b", "d"]])
def test_same_results_as_dask(tmp_path, targets):
    dask_runner, sequential = runners(tmp_path)
    inputs = {"__message__": "hello"}
    expected = dask_runner.run(inputs=inputs, targets=targets)
    assert sequential.run(inputs=inputs, targets=targets) == expected
    # and again: the second run uses the stored plan
    assert sequential.run(inputs={"__message__": "again"}, targets=targets) == \
        dask_runner.run(inputs={"__message__": "again"}, targets=targets)
    assert expected[targets[0]].startswith(SCHEMA.nodes[targets[0]].config["label"])


def test_each_node_runs_once_and_only_when_needed(tmp_path):
    _, sequential = runners(tmp_path)
    CALLS.clear()
    sequential.run(inputs={"__message__": "hi"}, targets=["target_one"])
    assert sorted(CALLS) == ["a", "b", "c", "d", "t1"]  # "side" and "t2" not needed
    for needed, later in (("a", "b"), ("a", "c"), ("b", "d"), ("c", "d"), ("d", "t1")):
        assert CALLS.index(needed) < CALLS.index(later)


def test_errors_are_raised_as_with_dask(tmp_path):
    dask_runner, sequential = runners(tmp_path)
    for runner in (dask_runner, sequential):
        with pytest.raises(GraphComponentException, match="node a") as raised:
            # "boom" reaches node "a" as its input and it raises
            runner.run(inputs={"__message__": "boom"}, targets=["target_one"])
        assert isinstance(raised.value.__cause__, ValueError)
        with pytest.raises(GraphRunError, match="clashes with a node name"):
            runner.run(inputs={"__message__": "b"}, targets=["target_one"])


def test_an_input_named_like_a_node_replaces_it_as_with_dask(tmp_path):
    dask_runner, sequential = runners(tmp_path)
    inputs = {"__message__": "hi", "c": "given"}
    assert sequential.run(inputs=inputs, targets=["d"]) == \
        dask_runner.run(inputs=inputs, targets=["d"]) == {"d": "d(x=b(left=a(text=hi)), y=given)"}


def test_a_missing_input_fails_as_with_dask(tmp_path):
    dask_runner, sequential = runners(tmp_path)
    for runner in (dask_runner, sequential):
        with pytest.raises(GraphRunError, match="Missing input to run node 'a'"):
            runner.run(inputs={}, targets=["target_one"])


def test_installed_for_prediction_only():
    import rasa.core.processor
    import rasa.model_training

    speedups.install()
    assert rasa.core.processor.DaskGraphRunner is SequentialGraphRunner
    assert rasa.model_training.DaskGraphRunner is DaskGraphRunner
