"""信息处理费 (国办函〔2020〕109号): two progressive (超额累进) methods, one per application, never both.

Per item (按件), counted per applicant per calendar month: items 1-10 free; 11-30: 100 yuan each;
from 31 every further band of 10 items costs 100 yuan more per item (31-40: 200, 41-50: 300, ...).
Per volume (按量), per request: pages 1-30 free; 31-100: 10 yuan/page; 101-200: 20; 201 and up: 40."""
from decimal import Decimal


def item_price(k: int) -> int:
    """Price in yuan of the k-th item (1-based) an applicant asks for in one calendar month."""
    if k <= 10:
        return 0
    if k <= 30:
        return 100
    return 200 + 100 * ((k - 31) // 10)


def page_price(p: int) -> int:
    """Price in yuan of the p-th page (1-based) of one request."""
    if p <= 30:
        return 0
    if p <= 100:
        return 10
    if p <= 200:
        return 20
    return 40


def _bands(prices):
    """Group consecutive (index, price) pairs into bands for the explanation."""
    bands = []
    for k, price in prices:
        if bands and bands[-1]["price"] == price and bands[-1]["to"] == k - 1:
            bands[-1]["to"] = k
        else:
            bands.append({"from": k, "to": k, "price": price})
    for b in bands:
        b["count"] = b["to"] - b["from"] + 1
        b["subtotal"] = b["count"] * b["price"]
    return bands


def per_item_fee(prior_items: int, items: int):
    """(amount, bands) for `items` new items when the applicant already asked for `prior_items` this month."""
    bands = _bands((k, item_price(k)) for k in range(prior_items + 1, prior_items + items + 1))
    return Decimal(sum(b["subtotal"] for b in bands)), bands


def per_volume_fee(pages: int):
    """(amount, bands) for a request of `pages` pages."""
    bands = _bands((p, page_price(p)) for p in range(1, pages + 1))
    return Decimal(sum(b["subtotal"] for b in bands)), bands
