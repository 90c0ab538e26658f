import sys

from odoocompat.importhook import after_import


def test_callback_runs_after_first_import(tmp_path, monkeypatch):
    (tmp_path / "compat_probe_mod.py").write_text("VALUE = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    seen = []
    after_import("compat_probe_mod", lambda module: seen.append(module.VALUE))
    assert seen == []
    import compat_probe_mod  # noqa: F401

    assert seen == [1]
    del sys.modules["compat_probe_mod"]


def test_callback_runs_at_once_for_loaded_module():
    seen = []
    after_import("json", lambda module: seen.append(module.__name__))
    assert seen == ["json"]
