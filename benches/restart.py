#!/usr/bin/env python3
"""Times the first calls of a restarted server that finds its account stored.

Starts dex-sim with a generated account (default 10,000 contacts) and, in
one fresh state directory, three dex-mcp processes over stdio one after
another:

1. the first makes one `find_contact` by name, which reads the whole
   account from Dex and stores it;
2. the second (a restart within the TTL) makes the same `find_contact`,
   then one `search_contacts_full_text`: both are timed from the client,
   and the Dex requests each sent are read from the simulator;
3. the third makes the search first.

It also prints the size of the state file and what the component logged
about loading the stored account. Standard library only; build first with
`cargo xtask guest` and `cargo build --release -p dex-mcp -p dex-sim`.

    python3 benches/restart.py [--contacts 10000] [--runs 3]
"""

import argparse
import os
import statistics
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "benches"))
import cold_read  # noqa: E402  (its Server speaks MCP over stdio)


class StatefulServer(cold_read.Server):
    """cold_read's server with its state in `state_dir` and its log kept."""

    def __init__(self, binary, component, base_url, state_dir, log):
        self.log = open(log, "w")
        self.proc = cold_read.subprocess.Popen(
            [
                binary,
                "--component", component,
                "--base-url", base_url,
                "--api-key", cold_read.SIM_KEY,
                "--call-timeout", "600",
                "--max-requests-per-call", "100000",
                "--state-dir", state_dir,
            ],
            stdin=cold_read.subprocess.PIPE,
            stdout=cold_read.subprocess.PIPE,
            stderr=self.log,
            text=True,
        )
        self.next_id = 0
        self.request("initialize", {
            "protocolVersion": "2025-11-25",
            "capabilities": {},
            "clientInfo": {"name": "restart-bench", "version": "1"},
        })
        self.send({"jsonrpc": "2.0", "method": "notifications/initialized"})

    def timed(self, tool, arguments):
        started = time.perf_counter()
        result = self.request("tools/call", {"name": tool, "arguments": arguments})
        if result.get("isError"):
            raise SystemExit(f"{tool} failed: {result}")
        return (time.perf_counter() - started) * 1000


def requests_since(control, before):
    now = cold_read.served(control)
    return sum(now.values()) - sum(before.values())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", default="release")
    args = parser.parse_args()
    target = os.path.join(ROOT, "target", args.profile)
    component = os.path.join(ROOT, "target/components/dex_guest.wasm")
    binary = os.path.join(target, "dex-mcp")
    sim, urls = cold_read.start_sim(os.path.join(target, "dex-sim"), args.contacts, 0, "reference")
    name = "Ingrid Lindqvist"
    rows = {"find_contact first": [], "then search": [], "search first": []}
    try:
        for run in range(args.runs):
            with tempfile.TemporaryDirectory(prefix="dex-restart-") as state:
                logs = [os.path.join(state, f"server-{i}.log") for i in range(3)]
                first = StatefulServer(binary, component, urls["v1"], state, logs[0])
                first.timed("find_contact", {"name": name})
                first.close()
                size = os.path.getsize(os.path.join(state, "state.redb"))

                before = cold_read.served(urls["control"])
                second = StatefulServer(binary, component, urls["v1"], state, logs[1])
                found = second.timed("find_contact", {"name": name})
                found_requests = requests_since(urls["control"], before)
                searched = second.timed("search_contacts_full_text", {"query": "coffee"})
                second.close()

                third = StatefulServer(binary, component, urls["v1"], state, logs[2])
                search_first = third.timed("search_contacts_full_text", {"query": "coffee"})
                third.close()
                total_requests = requests_since(urls["control"], before)

                rows["find_contact first"].append(found)
                rows["then search"].append(searched)
                rows["search first"].append(search_first)
                loaded = [line.split("dex-guest: ", 1)[1].strip()
                          for line in open(logs[1]) if "stored account loaded" in line]
                print(f"run {run + 1}: state file {size:,} bytes; restart: find_contact "
                      f"{found:.0f} ms ({found_requests} Dex requests), then search "
                      f"{searched:.0f} ms; search first {search_first:.0f} ms; Dex requests "
                      f"of both restarts {total_requests}; {loaded[0] if loaded else 'no load line'}")
    finally:
        sim.kill()
    for row, times in rows.items():
        print(f"median {row}: {statistics.median(times):.0f} ms")


if __name__ == "__main__":
    main()
