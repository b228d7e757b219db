"""The stub generator: a new service in a proto needs no hand-written Python."""
from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys

import pytest

from conftest import REPO
from rapport_client import Client, StatusCode
from wire_helpers import FakeServer, response

SHOP_PROTO = """
syntax = "proto3";
package acme.shop.v1;

message Cart {
  message Line {
    string sku = 1;
    uint32 quantity = 2;
  }
  repeated Line lines = 1;
}

message AddItemRequest {
  Cart.Line line = 1;
}

// Carts of the web shop.
service CartService {
  // Adds one line to the cart.
  // Returns the whole cart.
  rpc AddItem(AddItemRequest) returns (Cart);
  rpc Import(Cart) returns (Cart);
  rpc WatchLines(AddItemRequest) returns (stream Cart.Line);
}
"""


def protoc(tmp_path, proto_text, name="acme/shop/v1/shop.proto"):
    if shutil.which("protoc") is None:
        pytest.fail("protoc is needed to test the generator (Debian's protobuf-compiler)", pytrace=False)
    source = tmp_path / "proto"
    (source / name).parent.mkdir(parents=True)
    (source / name).write_text(proto_text)
    out, generated = tmp_path / "py", tmp_path / "py" / "generated"
    generated.mkdir(parents=True)
    return subprocess.run(
        [
            "protoc", f"-I{source}", f"--python_out={out}",
            f"--plugin=protoc-gen-rapport={REPO / 'scripts' / 'protoc-gen-rapport'}",
            "--rapport_opt=lang=python", f"--rapport_out={generated}", name,
        ],
        capture_output=True,
        text=True,
    ), out, generated


def load_generated(monkeypatch, out, generated):
    monkeypatch.syspath_prepend(str(out))  # for acme.shop.v1.shop_pb2
    # Loaded as a sibling of rapport_client._generated so its relative imports of the
    # runtime (.._stubs) resolve exactly as they do for the committed stubs.
    name = "rapport_client._generated_for_test"
    spec = importlib.util.spec_from_file_location(
        name, generated / "__init__.py", submodule_search_locations=[str(generated)]
    )
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, name, module)
    spec.loader.exec_module(module)
    return module


def test_new_service_gets_typed_stubs_and_a_client_attribute(tmp_path, monkeypatch):
    result, out, generated = protoc(tmp_path, SHOP_PROTO)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in generated.iterdir()) == ["__init__.py", "acme_shop_v1_shop.py"]
    registry = load_generated(monkeypatch, out, generated)
    from acme.shop.v1 import shop_pb2

    (service,) = registry.SERVICES
    assert service.name == "acme.shop.v1.CartService" and service.accessor == "carts"
    assert [(m.name, m.path, m.server_streaming) for m in service.methods] == [
        ("AddItem", "/acme.shop.v1.CartService/AddItem", False),
        ("Import", "/acme.shop.v1.CartService/Import", False),
        ("WatchLines", "/acme.shop.v1.CartService/WatchLines", True),
    ]
    assert service.methods[2].response_type is shop_pb2.Cart.Line
    assert service.stub.add_item.__doc__.splitlines()[0] == "Adds one line to the cart."
    assert "Carts of the web shop." in service.stub.__doc__
    assert hasattr(service.stub, "import_")  # a Python keyword gets a trailing underscore

    line = shop_pb2.Cart.Line(sku="tea", quantity=2)

    def handler(conn):
        seen = []
        for _ in range(3):
            request = conn.receive().request
            seen.append(request.method)
            if request.method.endswith("/AddItem"):
                added = shop_pb2.AddItemRequest.FromString(request.payload).line
                cart = shop_pb2.Cart(lines=[added])
                conn.send(response(request.call_id, cart.SerializeToString()))
            elif request.method.endswith("/Import"):
                conn.send(response(request.call_id, b"", code=StatusCode.FAILED_PRECONDITION, message="locked"))
            else:
                conn.send(response(request.call_id, line.SerializeToString(), end=False))
                conn.send(response(request.call_id))
        assert seen[0] == "/acme.shop.v1.CartService/AddItem"

    class ShopClient(Client, registry.ServiceAccessors):
        """A Client that also has the freshly generated services."""

    with FakeServer(handler) as server, ShopClient("127.0.0.1", server.port, timeout=5) as client:
        cart = client.carts.add_item(shop_pb2.AddItemRequest(line=line))
        assert isinstance(cart, shop_pb2.Cart) and list(cart.lines) == [line]
        with pytest.raises(Exception) as caught:
            client.carts.import_()
        assert caught.value.code is StatusCode.FAILED_PRECONDITION
        assert list(client.carts.watch_lines()) == [line]


def test_accessor_that_would_shadow_a_client_member_is_refused(tmp_path):
    result, _, _ = protoc(
        tmp_path,
        'syntax = "proto3";\npackage x.v1;\nmessage M {}\nservice Ping { rpc Go(M) returns (M); }\n',
        name="x/v1/ping.proto",
    )
    assert result.returncode != 0
    assert "x.v1.Ping: its Python client attribute 'ping' is taken" in result.stderr
