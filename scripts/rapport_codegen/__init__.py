"""Rapport's protoc plugin: service descriptors, typed stubs and catalogs for Swift, Python and C."""
import importlib

from .common import parameter

# Each language module has generate(request) -> [(file name, content)].
LANGUAGES = {
    "swift-catalog": "swift_catalog",
    "swift-client": "swift_client",
    "swift-server": "swift_server",
    "python": "python_stubs",
    "c": "c_stubs",
}


def generate(request):
    language = parameter(request, "lang", "swift-catalog")
    if language not in LANGUAGES:
        raise ValueError(f"unknown lang '{language}'; use one of {', '.join(sorted(LANGUAGES))}")
    module = importlib.import_module(f".{LANGUAGES[language]}", __name__)
    return module.generate(request)
