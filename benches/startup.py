#!/usr/bin/env python3
"""Times dex-mcp's start-up: from process start to the answer to tools/list.

Each run starts the server over stdio in demo mode (no API key: the
built-in simulated Dex starts too, as for a user trying it), sends
`initialize`, `notifications/initialized` and `tools/list` at once, and
stops the clock when the `tools/list` answer arrives. Two kinds of run:

- cold: an empty compile cache (`--compile-cache-dir` a fresh directory),
  so the component is compiled by Cranelift and the cache entry written;
- warm: the cache entry of a previous start is there and loaded.

Both keep no state (`--no-state`), so every run reads the demo account
alike. Prints each run and the median of each kind. Standard library only;
by default it times the binary `cargo xtask dist` made (stripped, with the
component beside it):

    python3 benches/startup.py [--binary PATH] [--runs 7]
"""

import argparse
import glob
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def dist_binary():
    """The stripped binary in the newest `target/dist/dex-mcp-*/` directory."""
    found = sorted(
        glob.glob(os.path.join(ROOT, "target", "dist", "dex-mcp-*", "dex-mcp")),
        key=os.path.getmtime,
    )
    if not found:
        raise SystemExit("no target/dist/dex-mcp-*/dex-mcp: run `cargo xtask dist` first")
    return found[-1]


def time_to_tools(binary, cache_dir):
    """Seconds from starting `binary` to its tools/list answer, and the tool count."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DEX_")}
    started = time.perf_counter()
    proc = subprocess.Popen(
        [binary, "--no-state", "--compile-cache-dir", cache_dir],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    messages = [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "protocolVersion": "2025-11-25",
            "capabilities": {},
            "clientInfo": {"name": "startup-bench", "version": "1"},
        }},
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        {"jsonrpc": "2.0", "id": 2, "method": "tools/list", "params": {}},
    ]
    proc.stdin.write("".join(json.dumps(m) + "\n" for m in messages))
    proc.stdin.flush()
    try:
        while True:
            line = proc.stdout.readline()
            if not line:
                raise SystemExit("dex-mcp closed its output before answering tools/list")
            message = json.loads(line)
            if message.get("id") == 2:
                elapsed = time.perf_counter() - started
                return elapsed, len(message["result"]["tools"])
    finally:
        proc.stdin.close()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", help="dex-mcp to time (default: the one `cargo xtask dist` made)")
    parser.add_argument("--runs", type=int, default=7, help="runs of each kind")
    args = parser.parse_args()
    binary = args.binary or dist_binary()
    print(f"binary: {binary} ({os.path.getsize(binary) / 1e6:.1f} MB)")

    results = {"cold": [], "warm": []}
    scratch = tempfile.mkdtemp(prefix="dex-mcp-startup-")
    try:
        warm_cache = os.path.join(scratch, "warm")
        time_to_tools(binary, warm_cache)  # fills the warm cache
        for run in range(args.runs):
            cold_cache = os.path.join(scratch, f"cold-{run}")
            for kind, cache in (("cold", cold_cache), ("warm", warm_cache)):
                seconds, tools = time_to_tools(binary, cache)
                results[kind].append(seconds)
                print(f"run {run + 1} {kind}: {seconds * 1000:.0f} ms ({tools} tools)")
            shutil.rmtree(cold_cache, ignore_errors=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    for kind, times in results.items():
        ms = sorted(t * 1000 for t in times)
        print(f"{kind}: median {statistics.median(ms):.0f} ms, min {ms[0]:.0f}, max {ms[-1]:.0f} ({len(ms)} runs)")


if __name__ == "__main__":
    sys.exit(main())
