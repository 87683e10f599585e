"""Speed of candidate ranking against two brute-force baselines, measured in one run.

    python bench/match_bench.py [--sizes 1000 10000 100000] [--queries 200] [--seed 7]

For each size N it generates N realistic colleague profiles (seeded: trades, specialties,
clienteles, cities, remote/capacity/pauses/dealbreakers) and a set of realistic client
requests (short, misspelt, abbreviated, chatty), then reports per request:

* ``MatchIndex.rank`` (the index, limit 10, with the sentence model: the request's clauses are
  embedded inside each timed call), p50 and p95, and the query embedding alone;
* ``rapidfuzz.process.cdist`` of the request against every profile string (specialties and
  clientele joined; ``fuzz.WRatio``, one worker) plus a top-10 selection: the obvious
  "fuzzy match everything" baseline, no hard rules;
* a naive per-pair Python loop (analyse and score each profile for each request, i.e.
  ``brute_force_rank``), timed on a subsample of ``--naive-sample`` profiles and
  extrapolated linearly to N (marked "extrapolated");

plus the time to embed the network's distinct phrases once (what imports store), the build
time of the index from those stored vectors, and the mean time of one ``upsert`` (replacing
an existing colleague). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from referral.adapters.embedding import shared_encoder
from referral.domain.matching import (
    ClientNeed,
    MatchContext,
    MatchIndex,
    Profile,
    brute_force_rank,
)

TRADES = {
    "accounting": ["accounting", "tax returns", "annual accounts", "payroll", "management accounts", "VAT returns",
                   "R&D tax credits", "audit preparation", "cash flow forecasting", "self-assessment"],
    "bookkeeping": ["bookkeeping", "Xero", "QuickBooks", "bank reconciliation", "accounts payable",
                    "month-end close", "receipt processing", "payroll"],
    "law": ["employment law", "family law", "divorce", "immigration law", "work visas", "wills", "probate",
            "conveyancing", "commercial leases", "trademark registration", "shareholder agreements",
            "debt recovery", "tenancy disputes", "data protection compliance"],
    "photography": ["wedding photography", "product photography", "corporate headshots", "event photography",
                    "food photography", "real estate photography", "family portraits", "drone aerials"],
    "video": ["video production", "promo videos", "video editing", "motion graphics", "YouTube channel editing"],
    "audio": ["podcast editing", "audio production", "voiceover recording", "sound design"],
    "web": ["WordPress websites", "Shopify stores", "website maintenance", "landing pages", "web accessibility",
            "site speed optimisation", "WooCommerce", "website redesign"],
    "software": ["web application development", "React", "Python", "API integrations", "mobile app development",
                 "iOS", "Android", "SaaS dashboards", "database design", "automation scripts"],
    "it": ["IT support", "office networks", "Microsoft 365 administration", "backups", "cybersecurity",
           "penetration testing", "cloud migration", "AWS", "DevOps", "helpdesk"],
    "design": ["logo design", "brand identity", "packaging design", "UX design", "user research", "wireframes",
               "print design", "book cover design", "illustration", "signage"],
    "interiors": ["interior design", "space planning", "home staging", "kitchen design", "lighting design"],
    "writing": ["copywriting", "blog articles", "technical writing", "grant writing", "ghostwriting",
                "proofreading", "copy editing", "case studies", "newsletter writing"],
    "translation": ["Spanish-English translation", "German-English translation", "legal translation",
                    "medical translation", "certified translation", "game localization", "subtitling"],
    "marketing": ["SEO", "local SEO", "Google Ads", "PPC", "social media management", "Instagram", "TikTok content",
                  "email marketing", "Klaviyo", "PR", "press releases", "content strategy"],
    "sales": ["CRM setup", "HubSpot", "Salesforce", "lead generation", "sales training", "cold outreach"],
    "hr": ["HR consulting", "employee handbooks", "recruitment", "performance reviews", "onboarding",
           "workplace investigations"],
    "coaching": ["executive coaching", "career coaching", "CV writing", "interview preparation", "life coaching",
                 "leadership development", "business coaching"],
    "architecture": ["residential architecture", "home extensions", "loft conversions", "planning permission",
                     "commercial fit-outs", "passive house design", "structural surveys"],
    "events": ["wedding planning", "corporate event planning", "conference management", "festival production",
               "destination weddings"],
    "catering": ["wedding catering", "corporate catering", "vegan menus", "private chef", "canapés"],
    "tutoring": ["maths tutoring", "GCSE maths", "SAT preparation", "English as a second language",
                 "IELTS preparation", "dyslexia support", "piano lessons", "chemistry tutoring"],
    "health": ["medical billing", "insurance claims", "practice management", "nutrition coaching",
               "personal training", "physiotherapy", "counselling"],
    "admin": ["virtual assistance", "inbox management", "calendar scheduling", "data entry", "travel booking",
              "project management"],
    "trades": ["plumbing", "electrical work", "roofing", "landscaping", "joinery", "painting and decorating"],
}
CLIENTELES = ["restaurants, cafés and bars", "charities and community groups", "venture-backed startups",
              "small businesses and sole traders", "tradespeople and construction firms", "dentists and clinics",
              "therapists and wellness practices", "online shops and consumer brands", "law firms",
              "software companies", "manufacturers and distributors", "couples", "families with young children",
              "older adults and their families", "students and researchers", "self-published authors",
              "podcasters and creators", "busy executives", "job seekers and career changers", "homeowners",
              "estate agents and landlords", "hotels and holiday lets", "fintech companies", "schools",
              "food and drink producers", "fashion and beauty brands", "employers", "employees in a dispute",
              "expats and people living abroad", "farms and rural businesses", ""]
CITIES = ["London", "Leeds", "Manchester", "Bristol", "Glasgow", "Cardiff", "Dublin", "Cork", "Halifax, NS",
          "Toronto", "Montreal", "Vancouver", "Calgary", "Austin", "Denver", "Seattle", "Chicago", "Atlanta",
          "Phoenix", "Portland", "Lyon", "Paris", "Berlin", "Hamburg", "Munich", "Vienna", "Milan", "Florence",
          "Porto", "Lisbon", "Valencia", "Madrid", "Amsterdam", "Utrecht", "Copenhagen", "Stockholm", "Oslo",
          "Helsinki", "Tallinn", "Kraków", "Sydney", "Melbourne", "Brisbane", "Adelaide", "Auckland", "Wellington",
          "Singapore", "Cape Town", "Nairobi", "Mexico City"]
FIRST = ["Ana", "Ben", "Chloe", "Dev", "Elif", "Femi", "Grace", "Hugo", "Ines", "Jon", "Kai", "Lena", "Marco",
         "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sami", "Tara", "Uma", "Viktor", "Wen", "Yusuf", "Zoe"]
LAST = ["Ruiz", "Okafor", "Martin", "Nguyen", "Kowalski", "Haddad", "Silva", "Brennan", "Sato", "Olsen",
        "Fischer", "Moreau", "Patel", "Rossi", "Cohen", "Walsh", "Kim", "Novak", "Ahmed", "Larsen"]
REASONS = ["complaints", "late_payments", "cancellations", "scope_creep", "hostile", "unresponsive", "not_a_fit"]
OPENERS = ["", "Hi, ", "Quick one: ", "Long story short, ", "We've been going for three years and "]
ASKS = ["we need {s}", "looking for someone to help with {s}", "{s} for our {i}", "need help with {s} asap",
        "{s}, ideally someone who knows {i}", "I'd like {s} done properly this time",
        "can you recommend someone for {s}? we're a small {i} and things are a bit chaotic right now"]
INDUSTRIES = ["bakery", "dental practice", "charity", "software startup", "roofing company", "online shop",
              "law firm", "hotel", "brewery", "physiotherapy clinic", "family", "fintech", "school", "farm"]


def typo(word: str, rng: random.Random) -> str:
    if len(word) < 6:
        return word
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + word[i + 1:] if rng.random() < 0.5 else word[:i] + word[i + 1] + word[i] + word[i + 2:]


def make_profiles(n: int, rng: random.Random) -> list[Profile]:
    today = date.today()
    out = []
    trades = list(TRADES)
    for i in range(1, n + 1):
        trade = rng.choice(trades)
        specs = rng.sample(TRADES[trade], k=min(len(TRADES[trade]), rng.randint(2, 5)))
        if rng.random() < 0.2:
            other = TRADES[rng.choice(trades)]
            specs.append(rng.choice(other))
        paused = today + timedelta(days=rng.randint(-60, 60)) if rng.random() < 0.1 else None
        out.append(Profile(
            id=i, name=f"{rng.choice(FIRST)} {rng.choice(LAST)}", specialties=tuple(dict.fromkeys(specs)),
            target_clientele=rng.choice(CLIENTELES), location=rng.choice(CITIES), remote=rng.random() < 0.7,
            capacity=rng.choice([0, 1, 2, 3, 3, 3, 4, 5]), paused_until=paused,
            dealbreakers=frozenset(rng.sample(REASONS, k=rng.choice([0, 0, 1, 1, 2]))),
        ))
    return out


def make_requests(n: int, rng: random.Random) -> list[tuple[ClientNeed, frozenset[str]]]:
    return [(client, reasons) for client, reasons, _ in make_asks(n, rng)]


def make_asks(n: int, rng: random.Random) -> list[tuple[ClientNeed, frozenset[str], str]]:
    """Client requests with their handoff reasons and the specialty each was written from."""
    out = []
    for _ in range(n):
        spec = rng.choice(TRADES[rng.choice(list(TRADES))])
        words = spec.split()
        if rng.random() < 0.3:
            words = [typo(w, rng) for w in words]
        industry = rng.choice(INDUSTRIES)
        needs = rng.choice(OPENERS) + rng.choice(ASKS).format(s=" ".join(words), i=industry)
        if rng.random() < 0.2:
            needs += (". Honestly the last person we worked with never answered emails and the invoices were "
                      "a mess, so we'd like someone organised who can start next month and stay for a while.")
        out.append((ClientNeed(needs, industry=industry if rng.random() < 0.6 else "",
                               location=rng.choice(CITIES) if rng.random() < 0.4 else None),
                    frozenset(rng.sample(REASONS, k=rng.randint(1, 2))), spec))
    return out


class Stored:
    """Vectors as the service reads them from ``phrase_vectors``; anything else from the model."""

    def __init__(self, model, vectors: dict[str, np.ndarray]) -> None:
        self.model, self.vectors, self.model_id = model, vectors, model.model_id

    def encode(self, texts: list[str]) -> np.ndarray:
        missing = [t for t in texts if t not in self.vectors]
        fresh = dict(zip(missing, self.model.encode(missing))) if missing else {}
        return np.stack([self.vectors[t] if t in self.vectors else fresh[t] for t in texts])


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def bench(n: int, queries: int, naive_sample: int, seed: int) -> dict[str, float]:
    rng = random.Random(seed)
    profiles = make_profiles(n, rng)
    requests = make_requests(queries, rng)
    today = date.today()
    open_refs = {p.id: rng.randint(0, 2) for p in rng.sample(profiles, k=min(n, n // 10 + 1))}

    model = shared_encoder()
    phrases = sorted({" ".join(t.split()) for p in profiles for t in (*p.specialties, p.target_clientele) if t.strip()})
    t0 = time.perf_counter()
    stored = dict(zip(phrases, model.encode(phrases)))
    embed_all = time.perf_counter() - t0

    t0 = time.perf_counter()
    index = MatchIndex(profiles, encoder=Stored(model, stored))
    build = time.perf_counter() - t0

    timings, embeds = [], []
    for client, reasons in requests:
        ctx = MatchContext(member_id=0, reasons=reasons, today=today, open_referrals=open_refs)
        t0 = time.perf_counter()
        index.rank(client, ctx, 10)
        timings.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        model.encode([client.needs])
        embeds.append(time.perf_counter() - t0)
    rank50, rank95 = percentiles(timings)
    embed50, _ = percentiles(embeds)

    docs = [" ".join(p.specialties) + " " + p.target_clientele for p in profiles]
    timings = []
    for client, _ in requests[: max(20, queries // 4)]:
        t0 = time.perf_counter()
        scores = process.cdist([client.needs + " " + client.industry], docs, scorer=fuzz.WRatio, workers=1)[0]
        np.argpartition(scores, -10)[-10:]
        timings.append(time.perf_counter() - t0)
    cdist50, cdist95 = percentiles(timings)

    sample = profiles[: min(n, naive_sample)]
    timings = []
    for client, reasons in requests[:20]:
        ctx = MatchContext(member_id=0, reasons=reasons, today=today, open_referrals=open_refs)
        t0 = time.perf_counter()
        brute_force_rank(sample, client, ctx, 10)
        timings.append((time.perf_counter() - t0) * n / len(sample))
    naive50, naive95 = percentiles(timings)

    replacements = [Profile(**{**p.__dict__, "capacity": p.capacity + 1}) for p in rng.sample(profiles, k=min(n, 300))]
    t0 = time.perf_counter()
    for p in replacements:
        index.upsert(p)
    upsert = (time.perf_counter() - t0) / len(replacements)
    return {"n": n, "phrases": len(phrases), "embed_all": embed_all, "embed50": embed50, "build": build, "upsert": upsert, "rank50": rank50, "rank95": rank95, "cdist50": cdist50,
            "cdist95": cdist95, "naive50": naive50, "naive95": naive95, "extrapolated": len(sample) < n}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--naive-sample", type=int, default=2000, help="profiles timed for the naive loop")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    rows = [bench(n, args.queries, args.naive_sample, args.seed) for n in args.sizes]
    ms = 1000.0
    print(f"{args.queries} requests per size, limit 10, one process, seed {args.seed}\n")
    print("| profiles | distinct phrases | embed them (s) | build from stored (s) | upsert (ms) | query embed p50 (ms) "
          "| index p50 incl. embed (ms) | index p95 (ms) | cdist WRatio p50 (ms) "
          "| cdist p95 (ms) | naive loop p50 (ms) | naive p95 (ms) | cdist / index | naive / index |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        mark = "*" if r["extrapolated"] else ""
        print(f"| {r['n']:,} | {r['phrases']:,} | {r['embed_all']:.1f} | {r['build']:.2f} | {r['upsert'] * ms:.2f} "
              f"| {r['embed50'] * ms:.1f} | {r['rank50'] * ms:.2f} "
              f"| {r['rank95'] * ms:.2f} | {r['cdist50'] * ms:.1f} | {r['cdist95'] * ms:.1f} "
              f"| {r['naive50'] * ms:.0f}{mark} | {r['naive95'] * ms:.0f}{mark} "
              f"| {r['cdist50'] / r['rank50']:.0f}x | {r['naive50'] / r['rank50']:.0f}x |")
    if any(r["extrapolated"] for r in rows):
        print(f"\n* naive loop timed on {args.naive_sample:,} profiles and extrapolated linearly to the size.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
