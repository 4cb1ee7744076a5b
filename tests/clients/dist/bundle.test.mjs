// The Claude Desktop bundle of `cargo xtask dist`: unpacked and its
// manifest validated by @anthropic-ai/mcpb, then started the way the
// manifest says (mcpb's own getMcpConfigForManifest, which is what turns a
// manifest and the user's settings into a command line), with the user's
// settings left at their defaults: the demo account, served to a real
// client.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { getMcpConfigForManifest } from '@anthropic-ai/mcpb';
import { CLIENTS_DIR, envWithoutDex, NODE } from '../lib/fixture.mjs';
import { artifact, checkServes, run, scratch, VERSION } from './served.mjs';

const BUNDLE = artifact('DEX_DIST_BUNDLE');
const MCPB = join(CLIENTS_DIR, 'node_modules', '@anthropic-ai', 'mcpb', 'dist', 'cli', 'cli.js');

const unpacked = scratch('bundle');
run(NODE, [MCPB, 'unpack', BUNDLE, unpacked]);
const manifest = JSON.parse(readFileSync(join(unpacked, 'manifest.json'), 'utf8'));

/** The server's command line as a client makes it from the manifest and `userConfig`. */
async function configured(userConfig) {
  const config = await getMcpConfigForManifest({
    manifest,
    extensionPath: unpacked,
    systemDirs: { HOME: scratch('home') },
    userConfig,
    pathSeparator: '/',
  });
  assert.ok(config, 'no required setting is missing');
  return { command: config.command, args: config.args ?? [], env: envWithoutDex(config.env) };
}

test('mcpb validates the bundle\'s manifest; it names the version and the two user settings', () => {
  run(NODE, [MCPB, 'validate', join(unpacked, 'manifest.json')]);
  assert.equal(manifest.version, VERSION);
  assert.equal(manifest.server.type, 'binary');
  assert.equal(manifest.user_config.api_key.sensitive, true);
  assert.equal(manifest.user_config.api_key.required, false);
  assert.equal(manifest.user_config.api_generation.default, 'v1');
  assert.ok(manifest.tools.some((tool) => tool.name === 'find_contact'), 'find_contact is listed');
});

test('every variable the manifest sets is one of the server\'s settings', async () => {
  const { command, args } = await configured({});
  const help = run(command, [...args, '--help'], { env: envWithoutDex() });
  for (const variable of Object.keys(manifest.server.mcp_config.env)) {
    assert.match(help, new RegExp(`\\[env: ${variable}[=\\]]`), `${variable} in --help`);
  }
});

test('started as the manifest says with the default settings, the bundle serves the demo account', async () => {
  const server = await configured({});
  assert.equal(server.env.DEX_API_KEY, '', 'no key by default');
  const log = await checkServes(
    { ...server, env: { ...server.env, DEX_MCP_NO_STATE: 'true' }, cwd: scratch('bundle-cwd') },
    'bundle',
  );
  assert.match(log, /demo mode/);
});

test('an API generation the server does not know stops it with an error that names the setting', async () => {
  const { command, args, env } = await configured({ api_generation: 'v0' });
  const result = spawnSync(command, args, { env, encoding: 'utf8', input: '' });
  assert.notEqual(result.status, 0);
  assert.match(result.stderr, /api-generation/);
  assert.match(result.stderr, /v0/);
});
