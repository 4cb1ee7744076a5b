#!/usr/bin/env python3
"""Counts the requests a cold read costs, and what filling left-out links would.

For each of the simulator's link modes (`--list-links on-include`, the
default: lists carry links only when `include` asks; `always`; `never`), starts
dex-sim with a generated account (default 10,000 contacts) and a fresh
dex-mcp against it, makes one `search_contacts_full_text` call (a cold read of
the whole account) and reads the simulator's counters: requests per endpoint.

Then, against the `never` simulator, it counts what each way of filling the
links would cost when done for the whole account, by doing it: one
`GET /v1/contacts/{id}` per contact (emails and phones), one
`GET /v1/timeline/?contactId=` per contact (notes' contacts, following
cursors), one `GET /v1/reminders?contactId=` per contact, and the list pages
asked again with `include` (which fills nothing on a Dex that ignores it).
Standard library only; build first with `cargo xtask guest` and
`cargo build -p dex-mcp -p dex-sim` (debug binaries by default).

    python3 benches/link_requests.py [--contacts 10000] [--profile debug] [--shape older]
"""

import argparse
import json
import os
import re
import subprocess
import sys
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "benches"))
import cold_read  # noqa: E402  (its Server speaks MCP over stdio)

SIM_KEY = cold_read.SIM_KEY


def start_sim(binary, contacts, links, shape):
    sim = subprocess.Popen(
        [binary, "--port", "0", "--contacts", str(contacts), "--list-links", links,
         "--shape", shape],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 600
    while True:
        line = sim.stderr.readline()
        match = re.search(r"dex-sim v1 base URL:\s+(\S+)", line or "")
        if match:
            subprocess.Popen(["cat"], stdin=sim.stderr, stdout=subprocess.DEVNULL)
            return sim, match.group(1)
        if (not line and sim.poll() is not None) or time.monotonic() > deadline:
            sim.kill()
            raise SystemExit("dex-sim did not print its base URL")


def get(url):
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {SIM_KEY}"})
    with urllib.request.urlopen(request) as response:
        return json.load(response)


def counters(base_url):
    with urllib.request.urlopen(f"{base_url}/_sim/counters") as response:
        return json.load(response)


def reset_counters(base_url):
    request = urllib.request.Request(f"{base_url}/_sim/counters", method="DELETE")
    urllib.request.urlopen(request).close()


def cold_read_counts(args, base_url):
    reset_counters(base_url)
    server = cold_read.Server(args.mcp, args.component, base_url, "v1", 10_000)
    try:
        server.request("initialize", {
            "protocolVersion": "2025-06-18",
            "capabilities": {},
            "clientInfo": {"name": "link-requests-bench", "version": "1"},
        })
        server.send({"jsonrpc": "2.0", "method": "notifications/initialized"})
        result = server.request("tools/call", {
            "name": "search_contacts_full_text",
            "arguments": {"query": "coffee"},
        })
    finally:
        server.close()
    reason = (result.get("structuredContent") or {}).get("incomplete_reason")
    seen = counters(base_url)
    per_endpoint = {name: c["requests"] for name, c in seen["endpoints"].items()}
    return seen["total"], per_endpoint, reason


def every_page(base_url, path, take):
    """Requests to read `path` to its end, and its items."""
    requests, items, cursor = 0, [], None
    while True:
        sep = "&" if "?" in path else "?"
        url = f"{base_url}{path}{sep}take={take}" + (f"&cursor={cursor}" if cursor else "")
        data = get(url)["data"]
        requests += 1
        items.extend(data["items"])
        cursor = data.get("nextCursor")
        if not cursor:
            return requests, items


def fill_costs(base_url, take):
    _, contacts = every_page(base_url, "/v1/contacts", take)
    ids = [c["id"] for c in contacts]
    costs = {}
    for contact_id in ids:
        get(f"{base_url}/v1/contacts/{contact_id}")
    costs["GET /v1/contacts/{id} per contact (emails, phones)"] = len(ids)
    for name, path in [("notes", "/v1/timeline/"), ("reminders", "/v1/reminders")]:
        total = 0
        for contact_id in ids:
            requests, _ = every_page(base_url, f"{path}?contactId={contact_id}", take)
            total += requests
        costs[f"GET {path}?contactId= per contact ({name}' contacts)"] = total
    for path, names in [
        ("/v1/contacts", ["contact_emails", "contact_phone_numbers"]),
        ("/v1/timeline/", ["timeline_items_contacts"]),
        ("/v1/reminders", ["reminders_contacts"]),
    ]:
        include = "&".join(f"include[{n}]=true" for n in names)
        requests, items = every_page(base_url, f"{path}?{include}", take)
        came = any(any(n in item for n in names) for item in items)
        costs[f"{path} pages again with include (links came: {came})"] = requests
    return costs


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=10_000)
    parser.add_argument("--take", type=int, default=1000, help="page size of the fill's reads")
    parser.add_argument("--profile", default="debug", help="cargo profile of the binaries")
    parser.add_argument("--shape", default="reference",
                        help="the simulator's v1 answer shape (`reference`: pages of at most 500; `older`)")
    parser.add_argument("--component", default=os.path.join(ROOT, "target/components/dex_guest.wasm"))
    args = parser.parse_args()
    target = os.path.join(ROOT, "target", args.profile)
    args.mcp = os.path.join(target, "dex-mcp")
    print(f"{args.contacts} contacts, {args.shape} answer shape")
    for links in ["on-include", "always", "never"]:
        sim, base_url = start_sim(os.path.join(target, "dex-sim"), args.contacts, links, args.shape)
        try:
            total, per_endpoint, reason = cold_read_counts(args, base_url)
            print(f"cold read, lists with links {links}: {total} requests")
            for name, count in sorted(per_endpoint.items()):
                print(f"  {name}: {count}")
            if reason:
                print(f"  incomplete_reason: {reason}")
            if links == "never":
                print("filling the links of the whole account, each way:")
                for name, count in fill_costs(base_url, args.take).items():
                    print(f"  {name}: {count}")
        finally:
            sim.kill()
            sim.wait()


if __name__ == "__main__":
    main()
