"""The official Python SDK (`mcp` 2.x on PyPI) as the client, over stdio and
Streamable HTTP, in its three connect modes: `legacy` (initialize), `auto`
(probes server/discover) and pinned to `2026-07-28` (no handshake at all)."""

from __future__ import annotations

import anyio
import pytest
from mcp import Client, StdioServerParameters

from mcp.types import ResourceTemplateReference

from conftest import (
    CONTACT_TEMPLATE,
    DEX_MCP,
    HttpServer,
    calls,
    check_call,
    check_offerings,
    check_shared_definitions,
    check_tool_list,
    env_without_dex,
    misspelled,
    server_args,
    shared_definition_cases,
)

MODES = {
    "legacy": "2025-11-25",
    "auto": "2026-07-28",
    "2026-07-28": "2026-07-28",
}


@pytest.mark.parametrize("transport", ["stdio", "http"])
@pytest.mark.parametrize("mode", list(MODES))
def test_python_sdk_lists_and_calls_the_tools(
    mode: str, transport: str, contact: dict[str, str], request: pytest.FixtureRequest
) -> None:
    if transport == "http":
        server: HttpServer = request.getfixturevalue("http_server")
        target: object = server.url
    else:
        target = StdioServerParameters(command=str(DEX_MCP), args=server_args(), env=env_without_dex())
    label = f"python {transport} {mode}"

    async def run() -> None:
        async with Client(target, mode=mode, read_timeout_seconds=60) as client:
            assert client.protocol_version == MODES[mode]
            listed = await client.list_tools()
            tools = [t.model_dump(by_alias=True, exclude_none=True) for t in listed.tools]
            check_tool_list(tools, label)
            # Tool errors too: this client validates structuredContent only on success.
            for call in calls(contact):
                result = await client.call_tool(call["tool"], call["arguments"])
                check_call(call, result.model_dump(by_alias=True, exclude_none=True), label)

    anyio.run(run)


def test_python_sdk_follows_shared_definitions_of_full_output_schemas(contact: dict[str, str]) -> None:
    """Shared definitions are in compact and full output schemas only: over stdio with
    `--output-schemas full`, call_tool validates each success against a schema with $defs
    and $ref; check that the reference is followed, not skipped."""
    target = StdioServerParameters(command=str(DEX_MCP), args=server_args("full"), env=env_without_dex())

    async def run() -> None:
        async with Client(target, read_timeout_seconds=60) as client:
            listed = await client.list_tools()
            tools = [t.model_dump(by_alias=True, exclude_none=True) for t in listed.tools]
            for name, breaking in shared_definition_cases():
                tool = next(t for t in tools if t["name"] == name)
                call = next(c for c in calls(contact) if c["tool"] == name)
                result = await client.call_tool(name, call["arguments"])
                check_shared_definitions(tool, result.structured_content, breaking, "python stdio full")

    anyio.run(run)


@pytest.mark.parametrize("transport", ["stdio", "http"])
@pytest.mark.parametrize("mode", list(MODES))
def test_python_sdk_gets_prompts_reads_resources_and_completes(
    mode: str, transport: str, contact: dict[str, str], request: pytest.FixtureRequest
) -> None:
    if transport == "http":
        server: HttpServer = request.getfixturevalue("http_server")
        target: object = server.url
    else:
        target = StdioServerParameters(command=str(DEX_MCP), args=server_args(), env=env_without_dex())
    label = f"python {transport} {mode}"

    def dump(value) -> dict:
        return value.model_dump(by_alias=True, exclude_none=True)

    async def run() -> None:
        async with Client(target, mode=mode, read_timeout_seconds=60) as client:
            listed = await client.list_prompts()
            prep = await client.get_prompt("meeting_prep", {"contact": contact["full_name"]})
            templates = await client.list_resource_templates()
            read = await client.read_resource(f"dex://contacts/{contact['id']}")
            completion = await client.complete(
                ResourceTemplateReference(type="ref/resource", uri=CONTACT_TEMPLATE),
                {"name": "id", "value": misspelled(contact["full_name"])},
            )
            check_offerings(
                dump(listed), dump(prep), dump(templates), dump(read), dump(completion), contact, label
            )

    anyio.run(run)
