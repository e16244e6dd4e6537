"""Slim CI: `--select state:modified+` against saved production artifacts picks exactly the changed
model and everything downstream of it, nothing else.

Works on a temporary copy of the project (the real model files are never touched) and needs no
data: `dbt parse` writes the "production" manifest, one model's SQL is edited in the copy, and
`dbt ls --select state:modified+ --state <prod artifacts>` is compared with the changed model's
descendants read independently from the production manifest's child map.
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import REPO

CHANGED_MODEL = "int_ad_spend_daily"
PROJECT_PARTS = ["dbt_project.yml", "models", "macros", "seeds", "tests", "analyses", "profiles"]


def dbt(args: list[str], project: Path, target: Path):
    from dbt.cli.main import dbtRunner

    os.environ["WAREHOUSE_PATH"] = ":memory:"
    os.environ["DBT_PROFILES_DIR"] = str(project / "profiles")
    result = dbtRunner().invoke(
        [*args, "--project-dir", str(project), "--target-path", str(target), "--log-path", str(target / "logs")]
    )
    assert result.success, f"dbt {' '.join(args)} failed: {result.exception}"
    return result


def descendants(child_map: dict[str, list[str]], node: str) -> set[str]:
    seen: set[str] = set()
    todo = [node]
    while todo:
        for child in child_map.get(todo.pop(), []):
            if child not in seen:
                seen.add(child)
                todo.append(child)
    return seen


@pytest.fixture(scope="module")
def project_copy(tmp_path_factory) -> tuple[Path, Path, dict]:
    """A copy of the project and its parsed manifest, saved as the production state."""
    root = tmp_path_factory.mktemp("slim_ci")
    project = root / "project"
    project.mkdir()
    for part in PROJECT_PARTS:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, project / part)
        else:
            shutil.copy2(source, project / part)
    state = root / "prod_artifacts"
    dbt(["parse"], project, state)
    manifest = json.loads((state / "manifest.json").read_text())
    return project, state, manifest


def selected(project: Path, state: Path, target: Path, selector: str) -> set[str]:
    # start from the production parse, so dbt re-parses only what changed (as CI would with a cache)
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(state / "partial_parse.msgpack", target / "partial_parse.msgpack")
    result = dbt(
        ["ls", "--select", selector, "--state", str(state), "--output", "json", "--output-keys", "unique_id"],
        project,
        target,
    )
    return {json.loads(line)["unique_id"] for line in result.result}


def test_unchanged_project_selects_nothing(project_copy, tmp_path):
    project, state, _ = project_copy
    assert selected(project, state, tmp_path / "target", "state:modified+") == set()


def test_changed_model_selects_it_and_its_descendants_only(project_copy, tmp_path):
    project, state, manifest = project_copy
    changed = next(
        unique_id for unique_id, node in manifest["nodes"].items()
        if node["resource_type"] == "model" and node["name"] == CHANGED_MODEL
    )
    model_file = project / manifest["nodes"][changed]["original_file_path"]
    original = model_file.read_text()
    model_file.write_text(original.replace("select * from final", "select * from final where 1 = 1", 1))
    try:
        expected = {changed} | descendants(manifest["child_map"], changed)
        got = selected(project, state, tmp_path / "target", "state:modified+")
    finally:
        model_file.write_text(original)
    assert any(node.startswith("model.") for node in expected - {changed}), "pick a model with children"
    assert got == expected, f"missing {sorted(expected - got)[:10]}, extra {sorted(got - expected)[:10]}"
