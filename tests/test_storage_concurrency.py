"""Two imports at the same time end with both in or one cleanly refused, never a half state.

Threads share one store (as Streamlit sessions do); processes each open their own (as replicas or
a CLI next to the app do). SQLite always, PostgreSQL when ``DASBOR_TEST_PG_URL`` is set.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select
from storage_backends import BACKENDS, backend_url, sha, tidy

import storage
from storage import DuplicateDataset, StoreBusy, open_store
from storage.engine import write_transaction
from storage.schema import audit_log, datasets
from storage.schema import values as values_t


@pytest.fixture(params=BACKENDS)
def store_url(request, tmp_path):
    yield from backend_url(request.param, tmp_path)


ROOT = Path(__file__).resolve().parent.parent
N_ROWS = 3000


def _rows(tag: int) -> list[tuple]:
    return [(f"17.71.0{i % 9 + 1}", f"IND-{i // 9}", 2020 + tag, float(i + tag)) for i in range(N_ROWS)]


def _assert_whole(store) -> None:
    """No half state: each dataset holds exactly its declared rows and has one audit entry."""
    with store.engine.connect() as conn:
        held = dict(conn.execute(select(values_t.c.dataset_id, func.count()).group_by(values_t.c.dataset_id)).all())
        declared = dict(conn.execute(select(datasets.c.id, datasets.c.n_values)).all())
        audited = conn.execute(
            select(func.count()).select_from(audit_log).where(audit_log.c.action == "import")
        ).scalar_one()
    assert held == declared
    assert audited == len(declared)


def _run_threads(store, shas: list[str]) -> list[object]:
    barrier = threading.Barrier(len(shas))
    results: list[object] = [None] * len(shas)

    def work(i: int) -> None:
        barrier.wait()
        try:
            results[i] = store.import_dataset(
                kind="values", file_name=f"f{i}.xlsx", sha256=shas[i], uploaded_by=f"u{i}", values=tidy(_rows(i))
            )
        except Exception as exc:  # collected and asserted below
            results[i] = exc

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(shas))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_two_threads_different_files_both_in(store_url):
    store = open_store(store_url)
    results = _run_threads(store, [sha("one"), sha("two")])
    assert all(isinstance(r, int) for r in results), results
    assert len(store.datasets()) == 2
    assert len(store.active_values()) == 2 * N_ROWS
    _assert_whole(store)


def test_two_threads_same_file_one_refused(store_url):
    store = open_store(store_url)
    results = _run_threads(store, [sha("same"), sha("same")])
    ids = [r for r in results if isinstance(r, int)]
    refused = [r for r in results if isinstance(r, DuplicateDataset)]
    assert len(ids) == 1 and len(refused) == 1, results
    assert refused[0].dataset_id == ids[0]
    assert store.datasets()["id"].tolist() == ids
    _assert_whole(store)


_CHILD = textwrap.dedent(
    """
    import sys, time, pathlib
    sys.path.insert(0, sys.argv[1])
    import pandas as pd
    from storage import open_store, DuplicateDataset
    url, digest, go, tag = sys.argv[2], sys.argv[3], pathlib.Path(sys.argv[4]), int(sys.argv[5])
    store = open_store(url)
    n = int(sys.argv[6])
    rows = [(f"17.71.0{i % 9 + 1}", f"IND-{i // 9}", 2020 + tag, float(i + tag)) for i in range(n)]
    frame = pd.DataFrame(rows, columns=["region", "indicator", "year", "value"])
    print("READY", flush=True)
    while not go.exists():
        time.sleep(0.005)
    try:
        print("OK", store.import_dataset(kind="values", file_name=f"p{tag}.xlsx", sha256=digest,
                                         uploaded_by=f"proc{tag}", values=frame), flush=True)
    except DuplicateDataset as exc:
        print("DUP", exc.dataset_id, flush=True)
    """
)


def _run_processes(url: str, shas: list[str], tmp_path: Path) -> list[str]:
    go = tmp_path / "go"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _CHILD, str(ROOT), url, digest, str(go), str(i), str(N_ROWS)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i, digest in enumerate(shas)
    ]
    try:
        for proc in procs:  # both opened the store (schema creation raced too) and built their frame
            line = proc.stdout.readline()
            assert line.strip() == "READY", proc.stderr.read()
        go.touch()
        outputs = []
        for proc in procs:
            out, err = proc.communicate(timeout=120)
            assert proc.returncode == 0, err
            outputs.append(out.strip())
        return outputs
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()


def test_two_processes_different_files_both_in(store_url, tmp_path):
    outputs = _run_processes(store_url, [sha("p-one"), sha("p-two")], tmp_path)
    assert [o.split()[0] for o in outputs] == ["OK", "OK"], outputs
    store = open_store(store_url)
    assert sorted(store.datasets()["file_name"]) == ["p0.xlsx", "p1.xlsx"]
    assert len(store.active_values()) == 2 * N_ROWS
    _assert_whole(store)


def test_two_processes_same_file_one_refused(store_url, tmp_path):
    outputs = _run_processes(store_url, [sha("p-same"), sha("p-same")], tmp_path)
    kinds = sorted(o.split()[0] for o in outputs)
    assert kinds == ["DUP", "OK"], outputs
    ok_id = next(int(o.split()[1]) for o in outputs if o.startswith("OK"))
    dup_id = next(int(o.split()[1]) for o in outputs if o.startswith("DUP"))
    assert ok_id == dup_id
    store = open_store(store_url)
    assert store.datasets()["id"].tolist() == [ok_id]
    _assert_whole(store)


def test_a_writer_that_waits_too_long_is_refused_cleanly(store_url):
    """While another write holds the store, an import gives up with StoreBusy and writes nothing."""
    storage.open_store(store_url)  # schema exists
    impatient = storage.Store(store_url, busy_timeout=0.3)
    holder = storage.Store(store_url)
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with write_transaction(holder.engine):
            held.set()
            release.wait(30)

    thread = threading.Thread(target=hold)
    thread.start()
    try:
        assert held.wait(30)
        with pytest.raises(StoreBusy, match="busy"):
            impatient.import_dataset(
                kind="values", file_name="x.xlsx", sha256=sha("x"), uploaded_by="u", values=tidy(_rows(0)[:10])
            )
    finally:
        release.set()
        thread.join(30)
    assert impatient.is_empty()
    # and once the other write is done, the same import goes through
    impatient.import_dataset(
        kind="values", file_name="x.xlsx", sha256=sha("x"), uploaded_by="u", values=tidy(_rows(0)[:10])
    )
    assert len(impatient.active_values()) == 10
    impatient.close()
    holder.close()
