"""Reading a data directory seeded by `rapportd seed`: customers, their dated holdings, the catalog.

The `customers.profile` column holds a protobuf `rapport.v1.CustomerProfile`; rows written before
the protobuf columns (and the rare profile protobuf cannot hold exactly) hold the Swift domain
type's JSON text instead, which starts with `{`. The same goes for `customers.segmentation`
(`rapport.v1.Segmentation`). Both forms are read here.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import sys
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT / "clients" / "python" / "src"))

from rapport.v1 import customer_pb2  # noqa: E402  (needs the path above)

# The proto enum's names, mapped to the daemon's tier names (the `customers.value_tier` column).
_PROTO_TIERS = {
    customer_pb2.VALUE_TIER_MASS: "mass",
    customer_pb2.VALUE_TIER_AFFLUENT: "affluent",
    customer_pb2.VALUE_TIER_PRIVATE: "privateBanking",
}


@dataclass(frozen=True)
class Holding:
    """One product a customer holds or held, with the day it was opened."""

    code: str
    opened_on: dt.date


@dataclass(frozen=True)
class Customer:
    """What the evaluation needs of a customer: birth date, value tier, dated holdings in profile order."""

    id: str
    birth: dt.date | None
    value_tier: str
    holdings: tuple[Holding, ...]


def _date(year: int, month: int, day: int) -> dt.date | None:
    """A calendar date, or None when unset (all zero) or impossible."""
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _profile_from_blob(blob: bytes) -> tuple[dt.date | None, list[tuple[str, dt.date | None]]]:
    """Birth date and (code, opened date) pairs from a protobuf or legacy JSON profile."""
    if blob[:1] == b"{":
        profile = json.loads(blob)
        birth = profile.get("dateOfBirth")
        products = [
            (p["productCode"], _date(**p["openedOn"]) if p.get("openedOn") else None)
            for p in profile.get("products", [])
        ]
        return (_date(**birth) if birth else None), products
    profile = customer_pb2.CustomerProfile.FromString(blob)
    birth = _date(profile.date_of_birth.year, profile.date_of_birth.month, profile.date_of_birth.day)
    products = [
        (p.product_code, _date(p.opened_on.year, p.opened_on.month, p.opened_on.day) if p.HasField("opened_on") else None)
        for p in profile.products
    ]
    return birth, products


def _tier_from_blob(blob: bytes, fallback: str) -> str:
    """The value tier from a protobuf `Segmentation` (or legacy JSON); the column's copy if unset."""
    if blob[:1] == b"{":
        return json.loads(blob).get("valueTier", fallback)
    return _PROTO_TIERS.get(customer_pb2.Segmentation.FromString(blob).value_tier, fallback)


@dataclass
class Bank:
    """A loaded book: customers (in id order), the catalog's product codes, and what was skipped."""

    customers: list[Customer]
    catalog: list[str]
    undated_holdings: int = 0
    unknown_products: int = 0


def load_bank(data_dir: Path, limit_customers: int | None = None) -> Bank:
    """Reads customers and the catalog from DATA_DIR/rapport.sqlite (read-only).

    Holdings without an opening date, or whose code is not in the catalog, are dropped and counted.
    """
    con = sqlite3.connect(f"file:{data_dir / 'rapport.sqlite'}?mode=ro", uri=True)
    try:
        catalog = sorted(code for (code,) in con.execute("SELECT code FROM products WHERE active = 1"))
        query = "SELECT id, value_tier, profile, segmentation FROM customers ORDER BY id"
        if limit_customers:
            query += f" LIMIT {int(limit_customers)}"
        bank = Bank(customers=[], catalog=catalog)
        known = set(catalog)
        for cid, tier_column, profile, segmentation in con.execute(query):
            birth, products = _profile_from_blob(bytes(profile))
            holdings = []
            for code, opened in products:
                if opened is None:
                    bank.undated_holdings += 1
                elif code not in known:
                    bank.unknown_products += 1
                else:
                    holdings.append(Holding(code, opened))
            tier = _tier_from_blob(bytes(segmentation), tier_column)
            bank.customers.append(Customer(cid, birth, tier, tuple(holdings)))
        return bank
    finally:
        con.close()
