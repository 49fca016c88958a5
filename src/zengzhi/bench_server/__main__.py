"""``python -m zengzhi.bench_server``: runs the benchmark's command line."""

from zengzhi.bench_server.cli import main

main()
