"""No function writes to a stream fixed when its module was imported: a default
of sys.stdout or sys.stderr is looked up at the call, so output goes where the
caller's standard streams are then (a test's capture, a redirected run)."""

import importlib
import inspect
import io
import pkgutil

import bot
import ingest

MODULES = [
    name for package in (bot, ingest)
    for _, name, _ in pkgutil.walk_packages(package.__path__, package.__name__ + ".")
]


def stream_defaults():
    for name in MODULES:
        module = importlib.import_module(name)
        for _, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ != name:
                continue
            for parameter in inspect.signature(function).parameters.values():
                if isinstance(parameter.default, io.IOBase) or hasattr(parameter.default, "write"):
                    yield f"{name}.{function.__name__}({parameter.name})"


def test_no_function_holds_a_stream_from_import_time():
    assert "bot.safety.crossval" in MODULES and "ingest.index" in MODULES
    assert list(stream_defaults()) == []

