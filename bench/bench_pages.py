"""How fast the pages are with the demo data: first render, rerun after a widget change, map payload.

Targets (issue 4): each page's first render under 1.5 s and a rerun after a widget change under
0.3 s on this machine; the kelurahan map payload under 300 KB. Measured with AppTest in-process
(which adds its own overhead, so real browser numbers are a little better), against a fresh SQLite
store that the app seeds with the synthetic demo, as a new installation does.

Figures printed (median of ``--repeat`` runs):

* ``cold start``: the first page of a new process (seeding the demo, scoring, building caches);
* ``first render``: a NEW session opening the page on a running server; "cold" is the first
  session to open that page (its page caches empty), "warm" the median of the next sessions;
* ``rerun``: the same session after one widget change on that page (cold / warm likewise);
* each time's ratio to a baseline measured in the same run: an AppTest of a two-line script, so
  the ratios stay comparable across machines.

``--deferred-downloads`` measures the pages as they would be if table downloads built their xlsx
only when clicked (``st.download_button(data=callable)``), the change proposed for
``ui.components.download_table``.

Usage: ``python bench/bench_pages.py [--repeat 3] [--deferred-downloads]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

#: A widget change per page: (widget kind, key, how to pick the new value from the options).
CHANGES = {
    "views/overview.py": ("selectbox", "overview_node", lambda o: o[1]),
    "views/map.py": ("selectbox", "map_node", lambda o: o[len(o) // 2]),
    "views/dimension.py": ("selectbox", "dimension_code", lambda o: o[2]),
    "views/profile.py": ("selectbox", "profile_region_w", lambda o: o[3]),
    "views/compare.py": ("selectbox", "compare_node", lambda o: o[1]),
    "views/quality.py": ("multiselect", "quality_origins", lambda o: [o[1]]),
    "views/methodology.py": ("selectbox", "methodology_region", lambda o: o[1]),
}


def _timed(func) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def _apptest(page: str, role: str):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=300)
    at.session_state["lang"] = "id"
    if role != "viewer":
        at.session_state["role"], at.session_state["user"] = role, "bench"
    return at


def _change(at, page: str) -> bool:
    kind, key, pick = CHANGES.get(page, (None, None, None))
    if kind is None:
        return False
    widget = getattr(at, kind)(key=key)
    if kind == "selectbox":
        options = list(widget.options)
        widget.select(pick(options))
    else:
        widget.set_value(pick(list(widget.options)))
    return True


def baseline(repeat: int) -> tuple[float, float]:
    from streamlit.testing.v1 import AppTest

    first, rerun = [], []
    for _ in range(repeat):
        at = AppTest.from_string("import streamlit as st\nst.write('baseline')\n")
        first.append(_timed(at.run))
        rerun.append(_timed(at.run))
    return statistics.median(first), statistics.median(rerun)


def measure(pages: list[tuple[str, str]], repeat: int) -> list[dict]:
    """Per page: the first new session's render and widget rerun (page caches cold), then the
    median over ``repeat`` more sessions (page caches warm, as for every later visitor)."""
    out = []
    for page, role in pages:
        firsts, reruns, changed = [], [], False
        for _ in range(repeat + 1):
            at = _apptest(page, role)
            at.run()  # the frame's default page: the session exists, as after a visit to the app
            at.switch_page(page)
            firsts.append(_timed(at.run))
            if at.exception:
                raise SystemExit(f"{page}: {at.exception[0].value}")
            changed = _change(at, page)
            reruns.append(_timed(at.run))
        out.append(
            {
                "page": page,
                "first_cold": firsts[0],
                "rerun_cold": reruns[0],
                "first": statistics.median(firsts[1:]),
                "rerun": statistics.median(reruns[1:]),
                "widget": changed,
            }
        )
    return out


def map_points_toggle(repeat: int) -> tuple[float, float]:
    """Rerun of the map after switching the observation-point layer on (cold, then warm median)."""
    times = []
    for _ in range(repeat + 1):
        at = _apptest("views/map.py", "viewer")
        at.run()
        at.switch_page("views/map.py")
        at.run()
        at.toggle(key="map_points").set_value(True)
        times.append(_timed(at.run))
    return times[0], statistics.median(times[1:])


def map_payloads() -> list[tuple[str, float, float, float]]:
    """(level, geometry KB, figure KB without points, figure KB with points) of the demo map."""
    import pandas as pd

    import settings
    from storage import open_store
    from ui.maps import build_layer, choropleth_figure, dissolve_to_parent, figure_payload_bytes, observation_points

    store = open_store(settings.db_url())
    kelurahan = store.boundaries("kelurahan")
    obs = store.observations()
    labels = {"berfungsi": "Berfungsi", "tidak berfungsi": "Rusak", "tidak ditemukan": "Hilang", "lainnya": "Lain"}
    rows = []
    for level, gdf in (("kecamatan", dissolve_to_parent(kelurahan)), ("kelurahan", kelurahan)):
        layer = build_layer(gdf, level)
        codes = list(layer.codes)
        frame = pd.DataFrame({"region": codes, "name": codes, "score": range(len(codes))})
        frame["score"] = frame["score"].astype(float)
        frame["score_text"] = frame["value_text"] = frame["coverage_text"] = "00,0"
        kwargs = {
            "color": "score",
            "color_title": "Skor (0–100)",
            "hover_labels": {"score": "Skor", "value": "Nilai", "coverage": "Cakupan data"},
            "no_data_label": "Tidak ada data",
            "title": "Indeks Kota Cerdas per Kelurahan, 2024",
        }
        plain = figure_payload_bytes(choropleth_figure(layer, frame, **kwargs))
        points = observation_points(obs, {}, level, labels)
        full = figure_payload_bytes(choropleth_figure(layer, frame, points=points, **kwargs))
        rows.append((level, layer.payload_bytes / 1024, plain / 1024, full / 1024))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--deferred-downloads", action="store_true")
    args = parser.parse_args()

    home = tempfile.mkdtemp(prefix="bench-pages-")
    os.environ["DASBOR_DB_URL"] = f"sqlite:///{Path(home) / 'bench.sqlite'}"
    import logging

    logging.getLogger("streamlit").setLevel(logging.ERROR)
    if args.deferred_downloads:
        _defer_downloads()

    from tests.pages_support import present_pages, role_for

    pages = [(p, role_for(r)) for p, r in present_pages()]
    cold = _timed(lambda: _apptest("views/overview.py", "viewer").run())
    base_first, base_rerun = baseline(args.repeat)
    rows = measure(pages, args.repeat)

    print(f"store: {os.environ['DASBOR_DB_URL']}  (demo seeded by the app; repeat={args.repeat})")
    print(f"cold start (seed demo + score + first page): {cold:6.2f} s")
    print(f"baseline AppTest (2-line script): first {base_first * 1000:5.0f} ms, rerun {base_rerun * 1000:5.0f} ms")
    print(f"{'page':22} {'first render':>21} {'rerun after change':>21} {'x base (cold)':>14}  after")
    print(f"{'':22} {'cold':>10} {'warm':>10} {'cold':>10} {'warm':>10} {'first':>7} {'rerun':>6}")
    for row in rows:
        flags = []
        if max(row["first_cold"], row["first"]) >= 1.5:
            flags.append("first > 1.5 s")
        if max(row["rerun_cold"], row["rerun"]) >= 0.3:
            flags.append("rerun > 0.3 s")
        what = "widget change" if row["widget"] else "plain rerun"
        print(
            f"{row['page']:22} {row['first_cold'] * 1000:7.0f} ms {row['first'] * 1000:7.0f} ms"
            f" {row['rerun_cold'] * 1000:7.0f} ms {row['rerun'] * 1000:7.0f} ms"
            f" {row['first_cold'] / base_first:7.1f} {row['rerun_cold'] / base_rerun:6.0f}  {what}"
            + (f"  [{', '.join(flags)}]" if flags else "")
        )
    cold_pts, warm_pts = map_points_toggle(args.repeat)
    print(f"{'map: points layer on':22} {'':10} {'':10} {cold_pts * 1000:7.0f} ms {warm_pts * 1000:7.0f} ms")
    print("map payload (GeoJSON of the layer / whole figure / figure with all observation points):")
    for level, geo, plain, full in map_payloads():
        print(f"  {level:10} {geo:7.1f} KB / {plain:7.1f} KB / {full:7.1f} KB")


def _defer_downloads() -> None:
    """What-if: downloads that build their file only when clicked (``data=callable``)."""
    import re

    import streamlit as st

    import ui.components as components
    from indicators.export import to_csv_bytes, to_xlsx_bytes
    from ui.i18n import t

    def download_table(frame, name, key=None, synthetic=False):
        slug = re.sub(r"[^A-Za-z0-9_-]+", "_", name).strip("_") or "tabel"
        note = t("app.synthetic_badge") if synthetic else None
        c1, c2 = st.columns(2)
        c1.download_button(
            t("common.download_xlsx"),
            data=lambda: to_xlsx_bytes({slug[:31]: frame}, note=note),
            file_name=f"{slug}.xlsx",
            key=f"{key or slug}_xlsx",
            width="stretch",
        )
        c2.download_button(
            t("common.download_csv"),
            data=lambda: to_csv_bytes(frame),
            file_name=f"{slug}.csv",
            key=f"{key or slug}_csv",
            width="stretch",
        )

    components.download_table = download_table


if __name__ == "__main__":
    main()
