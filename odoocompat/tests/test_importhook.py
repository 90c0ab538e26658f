import os
import subprocess
import sys

from odoocompat.importhook import after_import, before_import

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


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


def test_before_callback_runs_before_the_module_executes(tmp_path, monkeypatch):
    (tmp_path / "compat_probe_before.py").write_text(
        "import compat_probe_state\nVALUE = compat_probe_state.VALUE\n"
    )
    (tmp_path / "compat_probe_state.py").write_text("VALUE = 'unpatched'\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    import compat_probe_state

    before_import(
        "compat_probe_before",
        lambda spec: setattr(compat_probe_state, "VALUE", "patched"),
    )
    import compat_probe_before

    assert compat_probe_before.VALUE == "patched"
    for name in ("compat_probe_before", "compat_probe_state"):
        del sys.modules[name]


def test_startup_patches_odoo_in_a_fresh_interpreter_and_nothing_else():
    """What odoocompat.pth runs: light at start, patched once odoo is imported."""
    script = (
        "import sys, odoocompat.startup\n"
        "assert 'odoocompat.odoo_patches' not in sys.modules\n"
        "import collections\n"
        "assert not hasattr(collections, 'Mapping')\n"
        "from odoo.tools.safe_eval import safe_eval\n"
        "assert hasattr(collections, 'Mapping')\n"
        "print(safe_eval('[x for x in (1, 2)]'))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=dict(os.environ, PYTHONPATH=ROOT),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        universal_newlines=True,
    )
    assert out.returncode == 0, out.stdout
    assert out.stdout.strip().endswith("[1, 2]")


def test_the_virtualenv_loads_the_layer_at_start_from_anywhere():
    """The layer is a package of the virtualenv (setup.py): its .pth loads it in
    every interpreter, outside this checkout and without PYTHONPATH."""
    script = (
        "import sys, sysconfig, odoocompat\n"
        "assert 'odoocompat.startup' in sys.modules\n"
        "assert odoocompat.__file__.startswith(sysconfig.get_paths()['purelib'])\n"
        "print('layer loaded')\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    out = subprocess.run(
        [sys.executable, "-c", script],
        cwd="/",
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        universal_newlines=True,
    )
    assert out.returncode == 0, out.stdout
    assert out.stdout.strip() == "layer loaded"
