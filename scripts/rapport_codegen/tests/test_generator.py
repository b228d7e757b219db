"""Golden-file tests of scripts/protoc-gen-rapport: every language, from a small test proto.

Run: python3 -m pytest scripts/rapport_codegen/tests
Refresh the golden files after an intended change: UPDATE_GOLDEN=1 python3 -m pytest scripts/rapport_codegen/tests
"""
import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
SCRIPTS = HERE.parent.parent
sys.path.insert(0, str(SCRIPTS))

from rapport_codegen.common import accessor, camel, lower_camel, snake, swift_prefix  # noqa: E402

PLUGIN = SCRIPTS / "protoc-gen-rapport"
TESTDATA = HERE / "testdata"
GOLDEN = HERE / "golden"
LANGUAGES = ["swift-catalog", "swift-client", "swift-server", "python", "c"]


def run_plugin(language, out, proto="rapport/example/v1/example.proto"):
    out.mkdir(parents=True, exist_ok=True)
    return subprocess.run(
        ["protoc", f"-I{TESTDATA}", f"--plugin=protoc-gen-rapport={PLUGIN}",
         f"--rapport_opt=lang={language}", f"--rapport_out={out}", proto],
        capture_output=True, text=True,
    )


def files_under(root):
    return {p.relative_to(root).as_posix(): p.read_text() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("language", LANGUAGES)
def test_output_matches_golden_files(language, tmp_path):
    result = run_plugin(language, tmp_path)
    assert result.returncode == 0, result.stderr
    produced = files_under(tmp_path)
    assert produced, f"{language} generated nothing"
    golden = GOLDEN / language
    if os.environ.get("UPDATE_GOLDEN"):
        if golden.exists():
            for old in golden.rglob("*"):
                if old.is_file():
                    old.unlink()
        for name, content in produced.items():
            (golden / name).parent.mkdir(parents=True, exist_ok=True)
            (golden / name).write_text(content)
    assert produced == files_under(golden)


def test_client_streaming_is_refused_with_the_method_named(tmp_path):
    result = run_plugin("swift-client", tmp_path, proto="bad/client_streaming.proto")
    assert result.returncode != 0
    assert "/rapport.bad.v1.Upload/Send: client streaming is not part of the Rapport protocol" in result.stderr


def test_unknown_language_is_refused(tmp_path):
    result = run_plugin("cobol", tmp_path)
    assert result.returncode != 0
    assert "unknown lang 'cobol'" in result.stderr


@pytest.mark.parametrize("name, expected", [
    ("Health", "health"),
    ("CustomerService", "customers"),
    ("InteractionService", "interactions"),
    ("HTTPStatus", "http_status"),
    ("Service", "service"),
])
def test_client_accessor_names(name, expected):
    assert accessor(name) == expected


@pytest.mark.parametrize("name, expected", [
    ("GetCustomer", "get_customer"), ("ListServices", "list_services"), ("getHTTPResponse", "get_http_response"),
])
def test_snake_case(name, expected):
    assert snake(name) == expected


def test_swift_prefix_follows_swift_protobuf():
    assert swift_prefix("rapport.health.v1") == "Rapport_Health_V1_"
    assert swift_prefix("my_pkg.sub_part") == "MyPkg_SubPart_"
    assert camel("page_size") == "PageSize"


@pytest.mark.parametrize("name, expected", [
    ("GetCustomer", "getCustomer"), ("customers", "customers"), ("http_status", "httpStatus"), ("HTTPStatus", "httpStatus"),
])
def test_swift_member_names(name, expected):
    assert lower_camel(name) == expected
