"""Board-pack rendering at 100 and 1,000 use cases: pages, seconds and peak memory, and WeasyPrint's share.

    .venv/bin/python bench/boardpack.py [--sizes 100,1000]

Each size renders in a fresh child process (so peak memory is that render's alone): the context is built (realistic,
deterministic data in the shape reporting/selectors.py produces), templated to HTML, then turned into a PDF; then the
same final HTML is rendered by WeasyPrint alone. The last line printed is one JSON object. No database is needed: the
database side of gathering is measured by the test suite's query counts, not here.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def child(size: int) -> dict:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from reporting.rendering import pack_html, render_pdf
    from tests.reporting.pack_context import sample_context

    started = time.perf_counter()
    context = sample_context(size)
    html = pack_html(context)
    templated = time.perf_counter()
    _pdf, pages = render_pdf(html)
    total = time.perf_counter() - started
    alone_started = time.perf_counter()
    render_pdf(html)
    alone = time.perf_counter() - alone_started
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "use_cases": size,
        "pages": pages,
        "seconds": round(total, 2),
        "gather_and_template_seconds": round(templated - started, 2),
        "weasyprint_alone_seconds": round(alone, 2),
        "pages_per_second": round(pages / alone, 1),
        "peak_memory_mib": round(peak_kib / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child)))
        return
    results = {}
    for size in (int(s) for s in args.sizes.split(",")):
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(size)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        result = json.loads(out.stdout.strip().splitlines()[-1])
        print(
            f"{size:>5} use cases: {result['pages']} pages in {result['seconds']} s "
            f"(WeasyPrint alone {result['weasyprint_alone_seconds']} s, {result['pages_per_second']} pages/s), "
            f"peak {result['peak_memory_mib']} MiB"
        )
        results[str(size)] = result
    print(json.dumps({"sizes": results, "machine": {"cpus": os.cpu_count()}}))


if __name__ == "__main__":
    main()
