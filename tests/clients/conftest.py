"""Shared set-up of the Python client tests: the same as lib/fixture.mjs.

Paths of the built artifacts, a standalone dex-sim for the ground truth, the
server command the clients launch (demo mode on the same seeded account), and
the checks of cases.json.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import threading
import urllib.request
from pathlib import Path

import pytest

CLIENTS_DIR = Path(__file__).resolve().parent
WORKSPACE = CLIENTS_DIR.parent.parent
TARGET = Path(os.environ.get("DEX_TARGET_DIR", WORKSPACE / "target"))
DEX_MCP = TARGET / "debug" / "dex-mcp"
DEX_SIM = TARGET / "debug" / "dex-sim"
COMPONENT = TARGET / "components" / "dex_guest.wasm"
DEMO = {"seed": 42, "contacts": 200}
CASES = json.loads((CLIENTS_DIR / "cases.json").read_text())

for _path in (DEX_MCP, DEX_SIM, COMPONENT):
    if not _path.exists():
        raise RuntimeError(f"{_path} is missing: run these tests with `cargo xtask clients`")


def env_without_dex(**extra: str) -> dict[str, str]:
    """This process's environment without any DEX_ variable (so: demo mode)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DEX_")}
    env.update(extra)
    return env


def server_args(output_schemas: str | None = None) -> list[str]:
    """Demo mode with the default output schemas (shallow), which the clients here check
    every successful result against, or those of `output_schemas` (`full` for the shared
    definitions)."""
    args = ["--demo-seed", str(DEMO["seed"]), "--demo-contacts", str(DEMO["contacts"])]
    return [*args, "--output-schemas", output_schemas] if output_schemas else args


class Watched:
    """A process of ours whose stderr announces where it listens."""

    def __init__(self, args: list[str], pattern: str, label: str, timeout: float = 120) -> None:
        self.process = subprocess.Popen(
            args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            env=env_without_dex(),
        )
        seen: list[str] = []
        found = threading.Event()
        self.found = ""

        def read() -> None:
            assert self.process.stderr is not None
            for line in self.process.stderr:
                if len(seen) < 1000:
                    seen.append(line)
                match = re.search(pattern, line)
                if match and not found.is_set():
                    self.found = match.group(1)
                    found.set()

        threading.Thread(target=read, daemon=True).start()
        if not found.wait(timeout):
            self.stop()
            raise RuntimeError(f"{label} did not start within {timeout} s:\n" + "".join(seen))

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


class Sim(Watched):
    """dex-sim as its own process on a free loopback port."""

    def __init__(self, api_key: str = "clients_test_key") -> None:
        self.api_key = api_key
        super().__init__(
            [str(DEX_SIM), "--port", "0", "--seed", str(DEMO["seed"]), "--contacts", str(DEMO["contacts"]),
             "--api-key", api_key],
            r"v1 base URL:\s+(http://\S+)", "dex-sim",
        )
        self.base_url = self.found

    def seeded_contact(self) -> dict[str, str]:
        """A seeded contact with an email, from the simulator's own v1 API."""
        request = urllib.request.Request(
            f"{self.base_url}/v1/contacts?take=50&include[contact_emails]=true", headers={"Authorization": f"Bearer {self.api_key}"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            items = json.load(response)["data"]["items"]
        contact = next(c for c in items if c["contact_emails"])
        return {"id": contact["id"], "email": contact["contact_emails"][0]["email"], "full_name": contact["full_name"]}



class HttpServer(Watched):
    """dex-mcp --transport http on a free loopback port, in demo mode."""

    def __init__(self) -> None:
        super().__init__(
            [str(DEX_MCP), "--transport", "http", "--listen", "127.0.0.1:0", *server_args()],
            r"serving MCP over Streamable HTTP.*\baddr=(\S+)", "dex-mcp --transport http",
        )
        self.url = f"http://{self.found}/mcp"


@pytest.fixture(scope="session")
def http_server():
    server = HttpServer()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def sim():
    sim = Sim()
    yield sim
    sim.stop()


@pytest.fixture(scope="session")
def contact(sim: Sim) -> dict[str, str]:
    return sim.seeded_contact()


def render(value, contact: dict[str, str]):
    """`value` with every `{contact.FIELD}` replaced from `contact`."""
    if isinstance(value, str):
        whole = re.fullmatch(r"\{contact\.(\w+)\}", value)
        if whole:
            return contact[whole.group(1)]
        return re.sub(r"\{contact\.(\w+)\}", lambda m: contact[m.group(1)], value)
    if isinstance(value, list):
        return [render(v, contact) for v in value]
    if isinstance(value, dict):
        return {k: render(v, contact) for k, v in value.items()}
    return value


def select(value, path: str) -> list:
    """The values at `path` (`a.0.b`, `*` over a list) in `value`."""
    current = [value]
    for step in path.split("."):
        nxt = []
        for v in current:
            if step == "*":
                nxt.extend(v if isinstance(v, list) else [])
            elif isinstance(v, list) and step.isdigit() and int(step) < len(v):
                nxt.append(v[int(step)])
            elif isinstance(v, dict) and step in v:
                nxt.append(v[step])
        current = nxt
    return current


def calls(contact: dict[str, str]) -> list[dict]:
    return [{**c, "arguments": render(c["arguments"], contact), "expect": render(c["expect"], contact)}
            for c in CASES["calls"]]


def check_tool_list(tools: list[dict], label: str) -> None:
    """Every tool of cases.json is listed, with its annotations and schemas (tools as JSON dicts)."""
    for name, hints in CASES["tools"].items():
        tool = next((t for t in tools if t["name"] == name), None)
        assert tool is not None, f"{label}: {name} not in {[t['name'] for t in tools]}"
        assert len(tool.get("description") or "") > 20, f"{label}: {name} has a description"
        assert tool["inputSchema"]["type"] == "object", f"{label}: {name} input schema"
        assert (tool.get("outputSchema") or {}).get("type") == "object", f"{label}: {name} output schema"
        for hint, expected in hints.items():
            assert (tool.get("annotations") or {}).get(hint) == expected, f"{label}: {name}.annotations.{hint}"


def shared_definition_cases() -> list[tuple[str, dict]]:
    """The `sharedDefinitions` of cases.json: (tool name, fields that break a shared definition)."""
    return [(name, breaking) for name, breaking in CASES["sharedDefinitions"].items() if name != "about"]


def check_shared_definitions(tool: dict, structured: dict, breaking: dict, label: str) -> None:
    """`tool`'s output schema shares definitions; `structured` (its successful result) is valid
    against it and, with `breaking` put in, is not, by the `jsonschema` the SDK validates with."""
    from jsonschema.validators import validator_for

    schema = tool["outputSchema"]
    assert schema.get("$defs"), f"{label}: {tool['name']} has $defs"
    assert '"$ref": "#/$defs/' in json.dumps(schema), f"{label}: {tool['name']} refers to them"
    validator = validator_for(schema)(schema)
    assert validator.is_valid(structured), f"{label}: {tool['name']}'s result fits its schema"
    assert not validator.is_valid({**structured, **breaking}), (
        f"{label}: {tool['name']}: a value only a $ref'd definition refuses is refused"
    )


def check_call(call: dict, result: dict, label: str) -> None:
    """A tools/call result (as a JSON dict) fits the case's `expect`."""
    where = f"{label}: {call['name']}\n{json.dumps(result)[:2000]}"
    assert bool(result.get("isError")) == call["expect"]["isError"], where
    assert result.get("content"), f"content is given too: {where}"
    structured = result.get("structuredContent")
    if structured is None and call["expect"]["isError"]:
        structured = _error_from_text(result)
    assert isinstance(structured, dict), f"structuredContent: {where}"
    for path, expected in call["expect"].get("equal", {}).items():
        assert select(structured, path) == [expected], f"{path}: {where}"
    for path, expected in call["expect"].get("includes", {}).items():
        assert expected in select(structured, path), f"{path} includes {expected!r}: {where}"


def _error_from_text(result: dict) -> dict | None:
    """A tool error given only as text: the first text block that is a JSON object."""
    for block in result.get("content", []):
        try:
            value = json.loads(block.get("text", ""))
        except ValueError:
            continue
        if isinstance(value, dict):
            return value
    return None


PROMPTS = ["meeting_prep", "log_meeting", "weekly_review", "reconnect"]
CONTACT_TEMPLATE = "dex://contacts/{id}"


def misspelled(name: str) -> str:
    """`name` with its third letter dropped: a typo the matcher forgives."""
    return name[:2] + name[3:]


def check_offerings(listed: dict, prep: dict, templates: dict, read: dict, completion: dict,
                    contact: dict[str, str], label: str) -> None:
    """prompts/list, prompts/get meeting_prep, resources/templates/list,
    resources/read of the contact and completion of its id (as JSON dicts)
    carry the Dex component's prompts and the contact's real record."""
    assert [p["name"] for p in listed["prompts"]] == PROMPTS, f"{label}: {listed}"
    assert all(p.get("title") and p.get("description") for p in listed["prompts"]), label
    text = "\n".join(m["content"].get("text", "") for m in prep["messages"])
    assert f"# {contact['full_name']}" in text and f"`{contact['id']}`" in text, f"{label}: {text}"
    assert contact["email"] in text, f"{label}: meeting_prep carries the email"
    assert [t["uriTemplate"] for t in templates["resourceTemplates"]] == [CONTACT_TEMPLATE], label
    markdown, card = read["contents"]
    assert markdown["mimeType"] == "text/markdown", label
    assert markdown["text"].startswith(f"# {contact['full_name']}\n"), f"{label}: {markdown}"
    assert card["mimeType"] == "application/json", label
    assert json.loads(card["text"])["contact"]["id"] == contact["id"], label
    assert contact["id"] in completion["completion"]["values"], f"{label}: {completion}"
