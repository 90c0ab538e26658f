"""Run a callback right before, or right after, a given module is first imported."""

import importlib.abc
import importlib.machinery
import sys

_before = {}
_after = {}


class _ImportHookFinder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path, target=None):
        if fullname not in _before and fullname not in _after:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None:
            return None
        for callback in _before.pop(fullname, ()):
            callback(spec)
        if fullname not in _after:
            return spec
        loader = spec.loader
        exec_module = loader.exec_module

        def exec_then_patch(module):
            exec_module(module)
            for callback in _after.pop(fullname, ()):
                callback(module)

        loader.exec_module = exec_then_patch
        return spec


_finder = _ImportHookFinder()


def _install():
    if _finder not in sys.meta_path:
        sys.meta_path.insert(0, _finder)


def before_import(fullname, callback):
    """Call ``callback(spec)`` before ``fullname`` is first imported.

    Nothing happens if it is imported already: too late to come before it."""
    if fullname in sys.modules:
        return
    _before.setdefault(fullname, []).append(callback)
    _install()


def after_import(fullname, callback):
    """Call ``callback(module)`` once ``fullname`` is imported (now if it is)."""
    module = sys.modules.get(fullname)
    if module is not None:
        callback(module)
        return
    _after.setdefault(fullname, []).append(callback)
    _install()
