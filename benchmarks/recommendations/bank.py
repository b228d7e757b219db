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
from dataclasses import dataclass, field
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
class Money:
    """An amount in integer minor units and its ISO 4217 currency."""

    minor_units: int
    currency: str


@dataclass(frozen=True)
class Customer:
    """What the evaluation needs of a customer: birth date, value tier, dated holdings in profile order,
    and the profile facts product eligibility reads (today's: the book keeps no history of them)."""

    id: str
    birth: dt.date | None
    value_tier: str
    holdings: tuple[Holding, ...]
    income: Money | None = None
    assets: Money | None = None
    kyc: str | None = None         # "verified", "pending", "rejected", "expired"; None unknown
    risk_level: str | None = None  # a RISK_LEVELS name; None not assessed


# The daemon's risk levels, most cautious first (`RiskLevel.rank` is the index here).
RISK_LEVELS = ("conservative", "moderatelyConservative", "moderate", "moderatelyAggressive", "aggressive")
_PROTO_RISK = {i + 1: name for i, name in enumerate(RISK_LEVELS)}  # RISK_LEVEL_CONSERVATIVE = 1, ...
_PROTO_KYC = {1: "pending", 2: "verified", 3: "rejected", 4: "expired"}
_PROTO_TIER_NUMBERS = {1: "mass", 2: "affluent", 3: "privateBanking"}
_PROTO_CATEGORIES = {1: "deposit", 2: "currentAccount", 3: "card", 4: "personalLoan", 5: "mortgage",
                     6: "wealth", 7: "insurance", 8: "pension", 9: "payroll"}


@dataclass(frozen=True)
class EligibilityRules:
    """A product's `eligibility` (unset fields do not restrict), as `ProductEligibility.swift` checks it."""

    min_age: int | None = None
    max_age: int | None = None
    min_income: Money | None = None
    min_assets: Money | None = None
    allowed_tiers: frozenset[str] = frozenset()
    required_kyc: str | None = None
    risk_rating: str | None = None


@dataclass(frozen=True)
class Product:
    """A catalog product: category, eligibility, decline cooldown and business weight (0–100)."""

    code: str
    category: str
    rules: EligibilityRules
    decline_cooldown_days: int = 0
    business_weight: int = 0


@dataclass(frozen=True)
class Contact:
    """An interaction about a product on a UTC day (inquiries and offer declines are read)."""

    code: str
    day: dt.date


def _date(year: int, month: int, day: int) -> dt.date | None:
    """A calendar date, or None when unset (all zero) or impossible."""
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _json_money(value: dict | None) -> Money | None:
    return Money(int(value["minorUnits"]), value["currencyCode"]) if value else None


def _proto_money(message, present: bool) -> Money | None:
    return Money(int(message.minor_units), message.currency_code) if present else None


def _profile_from_blob(blob: bytes) -> tuple[dt.date | None, list[tuple[str, dt.date | None]], dict]:
    """Birth date, (code, opened date) pairs and the eligibility facts from a protobuf or legacy JSON profile."""
    if blob[:1] == b"{":
        profile = json.loads(blob)
        birth = profile.get("dateOfBirth")
        products = [
            (p["productCode"], _date(**p["openedOn"]) if p.get("openedOn") else None)
            for p in profile.get("products", [])
        ]
        facts = {"income": _json_money(profile.get("annualIncome")),
                 "assets": _json_money(profile.get("assetsUnderManagement")),
                 "kyc": profile.get("kycStatus"), "risk_level": profile.get("riskLevel")}
        return (_date(**birth) if birth else None), products, facts
    profile = customer_pb2.CustomerProfile.FromString(blob)
    birth = _date(profile.date_of_birth.year, profile.date_of_birth.month, profile.date_of_birth.day)
    products = [
        (p.product_code, _date(p.opened_on.year, p.opened_on.month, p.opened_on.day) if p.HasField("opened_on") else None)
        for p in profile.products
    ]
    facts = {"income": _proto_money(profile.annual_income, profile.HasField("annual_income")),
             "assets": _proto_money(profile.assets_under_management, profile.HasField("assets_under_management")),
             "kyc": _PROTO_KYC.get(profile.kyc_status), "risk_level": _PROTO_RISK.get(profile.risk_level)}
    return birth, products, facts


def _product_from_blob(code: str, category: str, blob: bytes) -> Product:
    """A catalog product from the `products.definition` protobuf (`rapport.v1.Product`)."""
    from rapport.v1 import recommendation_pb2

    p = recommendation_pb2.Product.FromString(blob)
    e = p.eligibility
    rules = EligibilityRules(
        min_age=e.min_age or None,
        max_age=e.max_age or None,
        min_income=_proto_money(e.min_annual_income, e.HasField("min_annual_income")),
        min_assets=_proto_money(e.min_assets, e.HasField("min_assets")),
        allowed_tiers=frozenset(_PROTO_TIER_NUMBERS[t] for t in e.allowed_value_tiers if t in _PROTO_TIER_NUMBERS),
        required_kyc=_PROTO_KYC.get(e.required_kyc_status),
        risk_rating=_PROTO_RISK.get(e.risk_rating),
    )
    return Product(code, _PROTO_CATEGORIES.get(p.category, category), rules,
                   int(p.decline_cooldown_days), int(p.business_weight))


def _tier_from_blob(blob: bytes, fallback: str) -> str:
    """The value tier from a protobuf `Segmentation` (or legacy JSON); the column's copy if unset."""
    if blob[:1] == b"{":
        return json.loads(blob).get("valueTier", fallback)
    return _PROTO_TIERS.get(customer_pb2.Segmentation.FromString(blob).value_tier, fallback)


def _epoch_days(occurred_at: int) -> int:
    """The UTC day number (days since 1970-01-01) of an `occurred_at` (milliseconds since the epoch)."""
    return int(occurred_at) // 86_400_000


@dataclass
class Bank:
    """A loaded book: customers (in id order), the catalog's product codes, and what was skipped."""

    customers: list[Customer]
    catalog: list[str]
    undated_holdings: int = 0
    unknown_products: int = 0
    products: dict[str, Product] = field(default_factory=dict)
    # Per customer id, oldest first: inquiries about a catalog product, and offer declines.
    inquiries: dict[str, list[Contact]] = field(default_factory=dict)
    declines: dict[str, list[Contact]] = field(default_factory=dict)


def load_bank(data_dir: Path, limit_customers: int | None = None, interactions: bool = False) -> Bank:
    """Reads customers and the catalog from DATA_DIR/rapport.sqlite (read-only).

    Holdings without an opening date, or whose code is not in the catalog, are dropped and counted.
    With `interactions`, also each customer's inquiries about a catalog product and its offer
    declines (`interactions.kind` 'inquiry' / 'offerDeclined'), by UTC day of `occurred_at`.
    """
    con = sqlite3.connect(f"file:{data_dir / 'rapport.sqlite'}?mode=ro", uri=True)
    try:
        catalog = sorted(code for (code,) in con.execute("SELECT code FROM products WHERE active = 1"))
        query = "SELECT id, value_tier, profile, segmentation FROM customers ORDER BY id"
        if limit_customers:
            query += f" LIMIT {int(limit_customers)}"
        bank = Bank(customers=[], catalog=catalog)
        known = set(catalog)
        for code, category, definition in con.execute("SELECT code, category, definition FROM products WHERE active = 1"):
            bank.products[code] = _product_from_blob(code, category, bytes(definition))
        for cid, tier_column, profile, segmentation in con.execute(query):
            birth, products, facts = _profile_from_blob(bytes(profile))
            holdings = []
            for code, opened in products:
                if opened is None:
                    bank.undated_holdings += 1
                elif code not in known:
                    bank.unknown_products += 1
                else:
                    holdings.append(Holding(code, opened))
            tier = _tier_from_blob(bytes(segmentation), tier_column)
            bank.customers.append(Customer(cid, birth, tier, tuple(holdings), **facts))
        if interactions:
            wanted = {c.id for c in bank.customers} if limit_customers else None
            rows = con.execute(
                "SELECT customer_id, kind, product_code, occurred_at FROM interactions "
                "WHERE kind IN ('inquiry', 'offerDeclined') AND product_code != '' ORDER BY customer_id, occurred_at")
            epoch = dt.date(1970, 1, 1)
            for cid, kind, code, occurred in rows:
                if code not in known or (wanted is not None and cid not in wanted):
                    continue
                day = epoch + dt.timedelta(days=_epoch_days(occurred))
                target = bank.inquiries if kind == "inquiry" else bank.declines
                target.setdefault(cid, []).append(Contact(code, day))
        return bank
    finally:
        con.close()
