"""Apps depend one way (academy <- providers <- candidates <- courses <- placements <- reporting), and
no module of ours is part of an import loop.

The layers contract lives in pyproject.toml (`[tool.importlinter]`); `make imports` runs it too, and
this test makes the suite fail on an upward import however it is run.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

import grimp
from django.apps import apps
from django.db.models import Model

from academy.discovery import PROJECT_APPS

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _lint_imports(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", *args], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )


def _contract() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]


def test_the_layers_contract_is_kept() -> None:
    result = _lint_imports()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_the_contract_lists_every_app_highest_first() -> None:
    (contract,) = _contract()["contracts"]
    assert contract["type"] == "layers"
    assert contract["layers"] == list(reversed(PROJECT_APPS))


def test_an_upward_import_breaks_the_contract(tmp_path: Path) -> None:
    """Control: the same check with the layers upside down must fail, so it is really looking."""
    # JSON lists of strings are valid TOML arrays.
    toml = f"""
[tool.importlinter]
root_packages = {json.dumps(list(PROJECT_APPS))}

[[tool.importlinter.contracts]]
name = "upside down"
type = "layers"
layers = {json.dumps(list(PROJECT_APPS))}
"""
    config = tmp_path / "upside-down.toml"
    config.write_text(toml)
    result = _lint_imports("--config", str(config))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "providers is not allowed to import academy" in result.stdout


def _import_loops(graph: grimp.ImportGraph) -> list[tuple[str, str]]:
    """Pairs (a, b) where a imports b directly and b leads back to a; lazy imports in functions count."""
    loops = []
    for importer in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            if graph.chain_exists(importer=imported, imported=importer):
                loops.append((importer, imported))
    return loops


def test_no_module_is_part_of_an_import_loop() -> None:
    graph = grimp.build_graph(*PROJECT_APPS, cache_dir=None)
    assert _import_loops(graph) == []


def test_an_import_loop_is_found() -> None:
    """Control: add one import that closes a loop and the check reports it."""
    graph = grimp.build_graph(*PROJECT_APPS, cache_dir=None)
    graph.add_import(importer="academy.models", imported="academy.services")
    assert ("academy.models", "academy.services") in _import_loops(graph)


def test_academy_models_have_no_keys_to_feature_apps() -> None:
    """The core's tables point only at the core (and Django's own); feature apps point down at it."""
    feature_apps = set(PROJECT_APPS) - {"academy"}
    keys = []
    for model in apps.get_app_config("academy").get_models():
        for field in model._meta.get_fields():
            target = field.related_model
            if (
                field.concrete
                and isinstance(target, type)
                and issubclass(target, Model)
                and target._meta.app_label in feature_apps
            ):
                keys.append(f"{model.__name__}.{field.name} -> {target._meta.label}")
    assert keys == []
