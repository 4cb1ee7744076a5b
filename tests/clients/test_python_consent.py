"""Consent by elicitation with the official Python SDK (`mcp` 2.x), which
declares elicitation once given an `elicitation_callback`. On a note it first
creates, a delete without `confirm` is put to the callback: yes deletes the
note, no keeps it. In `legacy` mode the server asks during the call; pinned to
`2026-07-28` the call answers `input_required` and the SDK retries it with the
callback's answer by itself. Over stdio and Streamable HTTP."""

from __future__ import annotations

import anyio
import pytest
from mcp import Client, StdioServerParameters, types

from conftest import DEX_MCP, HttpServer, env_without_dex, server_args

ANSWERS = {
    "yes": types.ElicitResult(action="accept", content={"confirm": True}),
    "no": types.ElicitResult(action="decline"),
}


@pytest.mark.parametrize("answer", list(ANSWERS))
@pytest.mark.parametrize("transport", ["stdio", "http"])
@pytest.mark.parametrize("mode", ["legacy", "2026-07-28"])
def test_python_sdk_confirms_a_delete_through_its_elicitation_callback(
    mode: str, transport: str, answer: str, contact: dict[str, str], request: pytest.FixtureRequest
) -> None:
    if transport == "http":
        server: HttpServer = request.getfixturevalue("http_server")
        target: object = server.url
    else:
        target = StdioServerParameters(command=str(DEX_MCP), args=server_args(), env=env_without_dex())
    label = f"python {transport} {mode} {answer}"
    questions: list[types.ElicitRequestParams] = []

    async def user(context: object, params: types.ElicitRequestParams) -> types.ElicitResult:
        questions.append(params)
        return ANSWERS[answer]

    async def run() -> None:
        async with Client(target, mode=mode, read_timeout_seconds=60, elicitation_callback=user) as client:
            text = f"Elicited {label}"
            saved = await client.call_tool("add_contact_note", {"contact_ids": [contact["id"]], "text": text})
            assert not saved.is_error, f"{label}: {saved}"
            note_id = saved.structured_content["note"]["id"]

            result = await client.call_tool("delete_note", {"note_id": note_id})
            read = await client.call_tool("get_note", {"note_id": note_id})

            assert len(questions) == 1, f"{label}: {questions}"
            assert text in questions[0].message, f"{label}: the question quotes the note: {questions[0].message}"
            if answer == "yes":
                assert not result.is_error, f"{label}: {result}"
                assert read.is_error and read.structured_content["kind"] == "not_found", f"{label}: {read}"
            else:
                assert result.is_error, f"{label}: {result}"
                assert result.structured_content["user_answer"] == "declined", f"{label}: {result}"
                assert not read.is_error, f"{label}: the note was deleted after a no: {read}"

    anyio.run(run)
