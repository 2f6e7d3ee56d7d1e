"""Batch throughput: pages per minute for 16 copies of a bundled sample (with its hints), at
``--jobs 1``, ``--jobs 2`` and through a local Dask cluster of two single-threaded workers on
127.0.0.1, in one run, through the real CLI.

    python bench/bench_batch.py [--pages 16] [--classical] [--sample blue_haired_girl]

The first wall time of each mode includes starting its processes and loading the networks in
each of them; that is what a studio batch pays too.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from paintassist.cli import main as cli
from paintassist.paths import samples_dir


def _run(args: list[str]) -> float:
    t0 = time.perf_counter()
    code = cli(args)
    if code != 0:
        raise SystemExit(f"paintassist {' '.join(args[:3])}… exited {code}")
    return time.perf_counter() - t0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=16)
    parser.add_argument("--sample", default="blue_haired_girl")
    parser.add_argument("--classical", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        pages = Path(tmp) / "pages"
        pages.mkdir()
        for i in range(args.pages):
            for suffix in (".png", ".json"):
                shutil.copy(
                    samples_dir() / f"{args.sample}{suffix}", pages / f"page{i:02d}{suffix}"
                )
        common = ["colorize", str(pages), "--quiet"] + (["--classical"] if args.classical else [])
        rows = []
        for label, extra in (("--jobs 1", ["--jobs", "1"]), ("--jobs 2", ["--jobs", "2"])):
            rows.append((label, _run([*common, "--out", str(Path(tmp) / label[-1]), *extra])))
        from distributed import LocalCluster

        with LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            silence_logs=40,
        ) as cluster:
            rows.append(
                (
                    "dask (2 local workers)",
                    _run(
                        [
                            *common,
                            "--out",
                            str(Path(tmp) / "d"),
                            "--scheduler",
                            cluster.scheduler_address,
                        ]
                    ),
                )
            )
    path = "classical" if args.classical else "networks"
    print(f"\n{args.pages} copies of {args.sample} ({path}):")
    for label, seconds in rows:
        print(f"  {label:<24} {seconds:6.1f} s   {60 * args.pages / seconds:6.1f} pages/min")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
