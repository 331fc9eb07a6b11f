"""Loads optional plugins by name at run time."""
import importlib

PLUGIN_PACKAGE = "app.plugins"


def load_metrics():
    return importlib.import_module("app.plugins.metrics_plugin")


def load_audit():
    return importlib.import_module(".audit_plugin", package="app.plugins")
