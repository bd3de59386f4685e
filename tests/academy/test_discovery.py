"""Discovery finds each app's module of an agreed name, in dependency order."""

from academy.discovery import PROJECT_APPS, app_hooks, app_modules


def test_finds_existing_modules_in_layer_order():
    modules = app_modules("apps")
    names = [module.__name__ for module in modules]
    assert names == [f"{label}.apps" for label in PROJECT_APPS]


def test_missing_module_is_skipped():
    assert app_modules("no_such_module_anywhere") == []


def test_hooks_skip_modules_without_the_attribute():
    hooks = app_hooks("apps", "name_that_no_apps_module_defines")
    assert hooks == []
    configs = app_hooks("apps", "AcademyConfig")
    assert len(configs) == 1
