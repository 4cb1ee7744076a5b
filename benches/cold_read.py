#!/usr/bin/env python3
"""Times a cold read of the whole account through the real server.

Starts dex-sim with a generated account (default 10,000 contacts, so about
50,000 notes and 20,000 reminders) and a fixed latency on every request,
then, for each API generation and each run, starts a fresh dex-mcp over
stdio against it and times one `search_contacts_full_text` call: the first
call of a fresh server reads every contact, note and reminder before it can
search, so its time is the cold read (plus one search, a few ms).

Prints one line per run (its time and the requests the simulator served
for it, from its control API) and the median per generation. `--shape`
picks the simulator's v1 answer shape (`reference`, the default: pages of
500 whatever is asked; `older`: pages as large as asked). Standard library
only; build first with `cargo xtask guest` and
`cargo build --release -p dex-mcp -p dex-sim` (or pass --profile debug).

    python3 benches/cold_read.py [--contacts 10000] [--latency-ms 30] [--runs 3] [--shape older]
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SIM_KEY = "dex_sim_key"  # the simulator's default key; opens nothing else


def start_sim(binary, contacts, latency_ms, shape):
    sim = subprocess.Popen(
        [binary, "--port", "0", "--contacts", str(contacts), "--latency-ms", str(latency_ms),
         "--shape", shape],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    urls = {}
    deadline = time.monotonic() + 600
    while len(urls) < 3:
        line = sim.stderr.readline()
        if not line:
            if time.monotonic() > deadline or sim.poll() is not None:
                sim.kill()
                raise SystemExit("dex-sim did not print its base URLs")
            continue
        match = re.search(r"dex-sim (v1|legacy) base URL:\s+(\S+)", line)
        if match:
            urls[match.group(1)] = match.group(2)
        match = re.search(r"dex-sim control API:\s+(\S+)", line)
        if match:
            urls["control"] = match.group(1)
    # Keep reading its log so that a full pipe never stalls it.
    subprocess.Popen(["cat"], stdin=sim.stderr, stdout=subprocess.DEVNULL)
    return sim, urls


class Server:
    """dex-mcp over stdio: newline-delimited JSON-RPC."""

    def __init__(self, binary, component, base_url, generation, max_requests):
        self.proc = subprocess.Popen(
            [
                binary,
                "--component", component,
                "--base-url", base_url,
                "--api-generation", generation,
                "--api-key", SIM_KEY,
                "--call-timeout", "600",
                "--max-requests-per-call", str(max_requests),
                # A cold read each time: no account stored by an earlier run.
                "--no-state",
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        self.next_id = 0

    def request(self, method, params):
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        while True:
            line = self.proc.stdout.readline()
            if not line:
                raise SystemExit("dex-mcp closed its output")
            message = json.loads(line)
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise SystemExit(f"{method} failed: {message['error']}")
                return message["result"]

    def send(self, message):
        self.proc.stdin.write(json.dumps(message) + "\n")
        self.proc.stdin.flush()

    def close(self):
        self.proc.stdin.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def served(control):
    """Requests the simulator served per endpoint since its counters were cleared."""
    with urllib.request.urlopen(f"{control}/counters") as answer:
        counters = json.load(answer)
    return {name: c["requests"] for name, c in counters["endpoints"].items()}


def clear_counters(control):
    urllib.request.urlopen(urllib.request.Request(f"{control}/counters", method="DELETE")).close()


def cold_read(args, component, base_url, generation):
    server = Server(args.mcp, component, base_url, generation, args.max_requests)
    try:
        server.request("initialize", {
            "protocolVersion": "2025-06-18",
            "capabilities": {},
            "clientInfo": {"name": "cold-read-bench", "version": "1"},
        })
        server.send({"jsonrpc": "2.0", "method": "notifications/initialized"})
        started = time.monotonic()
        result = server.request("tools/call", {
            "name": "search_contacts_full_text",
            "arguments": {"query": "coffee"},
        })
        elapsed = time.monotonic() - started
        if result.get("isError"):
            raise SystemExit(f"the search failed: {json.dumps(result)[:400]}")
        gaps = (result.get("structuredContent") or {}).get("incomplete")
        if gaps:
            print(f"  warning: partial account: {json.dumps(gaps)[:300]}", file=sys.stderr)
        return elapsed
    finally:
        server.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=10_000)
    parser.add_argument("--latency-ms", type=int, default=30)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--generations", default="v1,legacy")
    parser.add_argument(
        "--max-requests", type=int, default=500,
        help="dex-mcp's --max-requests-per-call (a read at 100 records a page needs ~800 here)",
    )
    parser.add_argument("--profile", default="release", help="cargo profile of the binaries")
    parser.add_argument("--shape", default="reference", help="the simulator's v1 answer shape")
    parser.add_argument("--component", default=os.path.join(ROOT, "target/components/dex_guest.wasm"))
    args = parser.parse_args()
    target = os.path.join(ROOT, "target", args.profile)
    args.mcp = os.path.join(target, "dex-mcp")
    sim, urls = start_sim(os.path.join(target, "dex-sim"), args.contacts, args.latency_ms, args.shape)
    try:
        print(f"{args.contacts} contacts, {args.latency_ms} ms per request, {args.profile} binaries, "
              f"{args.shape} answer shape")
        for generation in args.generations.split(","):
            times = []
            for run in range(args.runs):
                clear_counters(urls["control"])
                seconds = cold_read(args, args.component, urls[generation], generation)
                times.append(seconds)
                counts = served(urls["control"])
                detail = ", ".join(f"{n} {name}" for name, n in sorted(counts.items()))
                print(f"  {generation} run {run + 1}: {seconds:.2f} s, "
                      f"{sum(counts.values())} requests ({detail})", flush=True)
            print(f"{generation}: median {statistics.median(times):.2f} s over {len(times)} runs")
    finally:
        sim.kill()
        sim.wait()


if __name__ == "__main__":
    main()
