"""The texts whose sentence-transformers embeddings are committed as the parity reference.

About 200 texts, chosen to exercise what the service embeds and what can go wrong in a port of the
tokenizer and pooling: script steps, purchase intentions, product titles (brand names, model numbers,
units, punctuation), Unicode (accents, CJK, emoji, right-to-left, combining marks, odd whitespace),
very short texts, and texts past the model's 256 word-piece limit (truncation).

Half are written here; half are real titles and intentions drawn, deterministically, from the
IntentionQA tuning split in data/intentionqa/ (MIT), so the reference covers the data we tune on.
"""

from __future__ import annotations

import json
from pathlib import Path

STEPS = [
    "Light the charcoal",
    "Keep the drinks cold",
    "Set up the tent before dark",
    "Marinate the chicken overnight",
    "Clean the grill grates",
    "Invite the neighbours",
    "Wrap the presents",
    "Paint the nursery a soft green",
    "Replace the bathroom faucet",
    "Train for a half marathon",
    "Back up the laptop before the trip",
    "Plant tomatoes along the fence",
    "Teach the puppy to sit",
    "Pack a first-aid kit for the hike",
    "Descale the espresso machine",
    "Hang the string lights on the patio",
    "Fix a flat bicycle tyre",
    "Print the boarding passes",
    "Make pancakes for breakfast",
    "Frame the family photos",
]

INTENTIONS = [
    "because they want to grill outdoors",
    "because they want to light charcoal quickly without lighter fluid",
    "because he wanted to be able to use his USB cable with his laptop, but he had to buy a longer cable",
    "because they both are a type of USB extension cable.",
    "because she needed something to keep her coffee hot on the commute",
    "because they were getting ready for a camping trip",
    "because the baby kept waking up at night",
    "because they wanted to protect their phone screen from scratches",
    "because it is used to clean hardwood floors without streaks",
    "because they both are used for baking bread at home",
    "because he likes to listen to music while running",
    "because the old one broke",
    "because it was on sale",
    "because they want to look good at a wedding",
    "because they both can be used to organise a small kitchen",
]

TITLES = [
    "Weber 7447 Rapidfire Chimney Starter",
    "Belkin USB A/A Extension Cable, USB Type-A Female and USB Type-A Male (6 Feet)",
    "Apple iPhone 15 Pro Max (256 GB) - Natural Titanium",
    "Samsung 980 PRO 2TB PCIe NVMe Gen4 Internal Gaming SSD M.2 (MZ-V8P2T0B/AM)",
    "Logitech MX Master 3S Wireless Performance Mouse, 8K DPI, Quiet Clicks",
    "YETI Rambler 20 oz Tumbler, Stainless Steel, Vacuum Insulated with MagSlider Lid",
    "Coleman Sundome 4-Person Dome Tent",
    "Bose QuietComfort 45 Bluetooth Wireless Noise Cancelling Headphones - Triple Black",
    "KitchenAid KSM150PSER Artisan Tilt-Head Stand Mixer with Pouring Shield, 5-Quart, Empire Red",
    "3M Command Large Picture Hanging Strips, 4 Pairs (8 Strips), 16 lb Capacity",
    "Dr. Martens 1460 Smooth Leather 8-Eye Boot, Black, UK 9 / US M10",
    "Ninja AF101 Air Fryer that Crisps, Roasts, Reheats, & Dehydrates, 4 Quart",
    "Crayola 64 Ct Crayons w/ Built-in Sharpener",
    "Anker PowerCore 10000mAh Portable Charger (PD 20W, USB-C)",
    "LEGO Technic 42115 Lamborghini Sián FKP 37",
    "Moen 7594ESRS Arbor Motionsense Two-Sensor Touchless Kitchen Faucet",
    "Hario V60 Ceramic Coffee Dripper, Size 02, White",
    "Nintendo Switch – OLED Model w/ White Joy-Con",
    "AmazonBasics AAA 1.5 Volt Performance Alkaline Batteries - Pack of 36",
    "Carhartt Men's Loose Fit Heavyweight Short-Sleeve Pocket T-Shirt K87",
]

MODEL_NUMBERS_AND_CODES = [
    "B00000J1U8",
    "SKU-4471-XL",
    "MZ-V8P2T0B/AM",
    "RTX 4090 24GB GDDR6X",
    "1/2\" NPT x 3/8\" compression",
    "12V 5A DC 5.5mm x 2.1mm",
    "ISO 9001:2015",
    "v2.3.1-rc.4",
    "#1 Best Seller!!!",
    "100% cotton, 180 g/m²",
]

UNICODE = [
    "Crème brûlée torch with butane refill",
    "Café au lait bowl, faïence, 500 ml",
    "Zürich Straßenbahn Modell 1:87",
    "日本製 包丁 三徳 165mm",
    "无线蓝牙耳机 降噪",
    "한국 전통 찻잔 세트",
    "Набор кастрюль из нержавеющей стали",
    "مجموعة أواني طبخ",
    "קומקום חשמלי",
    "Ελληνικό ελαιόλαδο 1L",
    "🔥 Grill master apron 🍖🍔",
    "Party pack 🎉🎈🎂",
    "naïve café résumé coöperate",
    "e\u0301clair (decomposed accent)",
    "tab\tseparated\tvalues",
    "line one\nline two\r\nline three",
    "  leading and trailing spaces  ",
    "non\u00a0breaking\u00a0spaces",
    "zero\u200bwidth\u200bjoiners",
    "Fullwidth ＡＢＣ １２３",
    "𝔉𝔯𝔞𝔨𝔱𝔲𝔯 math letters",
    "ﬁne ligatures ﬂour",
]

SHORT = [
    "a",
    "I",
    "x",
    "?",
    "...",
    "42",
    "ok",
    "tent",
    "USB",
    "iPad",
    "grill",
    "!!",
    "🙂",
    "é",
    "the",
    "and",
]

# Built to pass 256 word pieces (sentence-transformers truncates there) by different routes: many
# plain words, long unknown words that split into many pieces, and a mix of scripts.
LONG = [
    " ".join(["because they want to grill outdoors with friends on a warm summer evening"] * 30),
    " ".join(f"step {i}: stir the sauce and taste it" for i in range(60)),
    "Supercalifragilisticexpialidocious " * 80,
    " ".join(["日本製 包丁 三徳 naïve café 🔥"] * 50),
    ("Long product description. " + "Made of durable stainless steel, dishwasher safe, BPA free, lifetime warranty; ") * 20,
]


def _iqa_texts(data_dir: Path, limit_titles: int, limit_intentions: int) -> list[str]:
    """Every k-th title and intention of the IntentionQA catalog, in file order (deterministic)."""
    titles: list[str] = []
    intentions: list[str] = []
    with (data_dir / "catalog.jsonl").open(encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            titles.append(row["title"])
            intentions.extend(row.get("intentions", []))
    t_step = max(1, len(titles) // limit_titles)
    i_step = max(1, len(intentions) // limit_intentions)
    return titles[::t_step][:limit_titles] + intentions[::i_step][:limit_intentions]


def reference_texts(repo_root: Path) -> list[dict[str, str]]:
    """The reference texts, each tagged with the group it exercises."""
    groups = {
        "step": STEPS,
        "intention": INTENTIONS,
        "title": TITLES,
        "code": MODEL_NUMBERS_AND_CODES,
        "unicode": UNICODE,
        "short": SHORT,
        "long": LONG,
    }
    out = [{"group": g, "text": t} for g, texts in groups.items() for t in texts]
    for text in _iqa_texts(repo_root / "data" / "intentionqa", 45, 50):
        out.append({"group": "intentionqa", "text": text})
    seen: set[str] = set()
    unique = []
    for row in out:
        if row["text"] not in seen:
            seen.add(row["text"])
            unique.append(row)
    return unique
