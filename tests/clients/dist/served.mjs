// What both packaging tests check once they have unpacked a server: a real
// MCP client (the official TypeScript SDK) starts it the way a user's
// client would, lists the tools and calls find_contact on the demo account.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { checkCall, checkToolList, demoContact, splitCalls } from '../lib/fixture.mjs';

/** The version `cargo xtask dist` built (the workspace's), which the binary and the component both name. */
export const VERSION = process.env.DEX_DIST_VERSION;

/** The artifact at `variable` (set by `cargo xtask dist --test`), or an error saying how to run the test. */
export function artifact(variable) {
  const path = process.env[variable];
  if (!path) throw new Error(`${variable} is not set: run this test with \`cargo xtask dist --test\``);
  return path;
}

/** A fresh scratch directory, removed when the process exits. */
export function scratch(label) {
  const dir = mkdtempSync(join(tmpdir(), `dex-mcp-${label}-`));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Runs `command` to its end; returns its stdout, failing with its stderr. */
export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  assert.equal(result.status, 0, `${command} ${args.join(' ')}:\n${result.stderr}`);
  return result.stdout;
}

/**
 * Starts `{ command, args, env }` over stdio with the SDK's client, in
 * `cwd`, and checks what the demo account must answer: the tools of
 * cases.json with their annotations and input schemas, and every find_contact
 * case. Returns the server's stderr, for checks of its log.
 */
export async function checkServes({ command, args, env, cwd }, label) {
  const contact = await demoContact();
  const findContact = splitCalls(contact).successes.filter((call) => call.tool === 'find_contact');
  assert.ok(findContact.length > 0, 'cases.json has find_contact calls');
  const transport = new StdioClientTransport({ command, args, env, cwd, stderr: 'pipe' });
  let log = '';
  transport.stderr.setEncoding('utf8');
  transport.stderr.on('data', (chunk) => {
    if (log.length < 100_000) log += chunk;
  });
  const client = new Client({ name: `dex-mcp-dist-${label}`, version: '0.0.0' });
  try {
    await client.connect(transport);
    assert.equal(client.getServerVersion()?.name, 'dex-mcp', label);
    const { tools } = await client.listTools();
    // Started as a user's client starts it, with the defaults: tools/list
    // leaves the output schemas out (`--output-schemas none`).
    checkToolList(tools, label, { outputSchemas: false });
    for (const call of findContact) {
      const result = await client.callTool({ name: call.tool, arguments: call.arguments });
      checkCall(call, result, label);
    }
  } catch (err) {
    err.message += `\n${label}: the server's log:\n${log}`;
    throw err;
  } finally {
    await client.close();
  }
  return log;
}

/** The ELF section names of `file`, read by binutils' readelf. */
export function sections(file) {
  return run('readelf', ['--section-headers', '--wide', file])
    .split('\n')
    .map((line) => /^\s*\[\s*\d+\]\s+(\S+)/.exec(line)?.[1])
    .filter(Boolean);
}
