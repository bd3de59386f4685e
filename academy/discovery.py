"""Cross-app wiring without upward imports: a lower app asks the apps above it for a module.

Apps depend one way (academy <- providers <- candidates <- courses <- placements <- reporting).
Where a lower app needs what a higher app offers (demo data, navigation links, a person's data,
sections of the candidate record), the higher app puts it in a module of an agreed name and the
lower app discovers it here, as Django's admin autodiscovery does.
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

from django.apps import apps
from django.utils.module_loading import module_has_submodule

# Our own apps, bottom layer first; third-party apps are never searched.
PROJECT_APPS = ("academy", "providers", "candidates", "courses", "placements", "reporting")


def app_modules(name: str) -> list[ModuleType]:
    """Import `<app>.<name>` for each project app that has one, bottom layer first."""
    found = []
    for label in PROJECT_APPS:
        if not apps.is_installed(label):
            continue
        package = apps.get_app_config(label).module
        if package is not None and module_has_submodule(package, name):
            found.append(import_module(f"{label}.{name}"))
    return found


def app_hooks(module_name: str, attribute: str) -> list[object]:
    """The named attribute of every `<app>.<module_name>` module that defines it, bottom layer first."""
    return [getattr(module, attribute) for module in app_modules(module_name) if hasattr(module, attribute)]
