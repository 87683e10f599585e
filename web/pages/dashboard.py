"""The dashboard: what needs doing now, then clients given and received per month and who owes whom."""

from flask import render_template

from referral.services import ledger, offer_views
from web.context import member_id, now, uow
from web.pages import members_blueprint

bp = members_blueprint("dashboard", __name__, url_prefix="/dashboard")

CHART = {"width": 720, "height": 260, "left": 36, "bottom": 40, "top": 16}


def bar_chart(months: list[dict]) -> dict:
    """Geometry of a grouped bar chart (given, received per month) drawn as inline SVG."""
    w, h, left, bottom, top = (CHART[k] for k in ("width", "height", "left", "bottom", "top"))
    peak = max([m["given"] for m in months] + [m["received"] for m in months] + [1])
    step = max(1, -(-peak // 4))
    ticks = list(range(0, peak + step, step))
    scale = (h - bottom - top) / ticks[-1]
    slot = (w - left - 8) / max(len(months), 1)
    bar = slot * 0.36
    bars, labels = [], []
    for i, m in enumerate(months):
        x = left + i * slot + slot * 0.1
        for j, key in enumerate(("given", "received")):
            height = m[key] * scale
            bars.append({"x": round(x + j * bar, 1), "y": round(h - bottom - height, 1), "w": round(bar, 1),
                         "h": round(height, 1), "kind": key, "value": m[key], "month": m["month"]})
        labels.append({"x": round(left + i * slot + slot / 2, 1), "text": m["month"].strftime("%b"),
                       "year": m["month"].strftime("%Y") if m["month"].month == 1 or i == 0 else ""})
    grid = [{"y": round(h - bottom - t * scale, 1), "value": t} for t in ticks]
    return {"bars": bars, "labels": labels, "grid": grid, "baseline": h - bottom, **CHART}



@bp.get("/")
def index():
    stats = ledger.monthly_flows(uow(), member_id(), now())
    rows = ledger.member_ledger(uow(), member_id())
    return render_template("dashboard/index.html", stats=stats, chart=bar_chart(stats["months"]),
                           todo=offer_views.to_do(uow(), member_id(), now()),
                           owe=[r for r in rows if r["owed"]], owed=[r for r in rows if r["owes_you"]])
