// The release archive of `cargo xtask dist` as a user gets it: unpacked,
// its sums checked, its binary small and stripped with the debug info kept
// beside it at build time, and its server, started with no flag at all,
// serving the demo account from the component beside it.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { test } from 'node:test';
import { envWithoutDex } from '../lib/fixture.mjs';
import { artifact, checkServes, run, scratch, sections, VERSION } from './served.mjs';

const ARCHIVE = artifact('DEX_DIST_ARCHIVE');
const STEM = basename(ARCHIVE, '.tar.gz');
/** The release binary's limit (issue 18): 40 MB. */
const MAX_BINARY_BYTES = 40_000_000;

const unpacked = scratch('archive');
run('tar', ['--extract', '--gzip', '--file', ARCHIVE, '--directory', unpacked]);
const root = join(unpacked, STEM);
const binary = join(root, 'dex-mcp');

test('the archive holds the binary, the component, README, LICENSE and their sums, which match', () => {
  assert.deepEqual(readdirSync(unpacked), [STEM], 'one top-level directory');
  assert.deepEqual(
    readdirSync(root).sort(),
    ['LICENSE', 'README.md', 'SHA256SUMS', 'dex-mcp', 'dex_guest.wasm'],
  );
  const sums = readFileSync(join(root, 'SHA256SUMS'), 'utf8').trim().split('\n');
  const named = sums.map((line) => {
    const [, sum, name] = /^([0-9a-f]{64}) {2}(\S+)$/.exec(line) ?? [];
    assert.ok(name, `a sha256sum line: ${line}`);
    const actual = createHash('sha256').update(readFileSync(join(root, name))).digest('hex');
    assert.equal(actual, sum, `the sum of ${name}`);
    return name;
  });
  assert.deepEqual(named.sort(), ['LICENSE', 'README.md', 'dex-mcp', 'dex_guest.wasm']);
  // The same check as a user would run it.
  run('sha256sum', ['--check', '--strict', 'SHA256SUMS'], { cwd: root });
});

test('the binary is at most 40 MB, stripped, and names its debug info, kept beside it at build time', () => {
  const size = statSync(binary).size;
  assert.ok(size <= MAX_BINARY_BYTES, `dex-mcp is ${size} bytes, over ${MAX_BINARY_BYTES}`);
  const shipped = sections(binary);
  assert.ok(shipped.includes('.gnu_debuglink'), `a debuglink among ${shipped}`);
  // .debug_gdb_scripts is loaded with the program (it names rustc's gdb
  // pretty-printers), not debug info, so strip keeps it.
  const debug = shipped.filter((s) => (s.startsWith('.debug_') && s !== '.debug_gdb_scripts') || s === '.symtab');
  assert.deepEqual(debug, [], 'no debug info or symbols');
  const debugInfo = join(dirname(ARCHIVE), STEM, 'dex-mcp.debug');
  const kept = sections(debugInfo);
  for (const section of ['.debug_line', '.debug_info', '.symtab']) {
    assert.ok(kept.includes(section), `${section} in ${debugInfo}: ${kept}`);
  }
});

test('dex-mcp --version names its own version and the component\'s', () => {
  const out = run(binary, ['--version'], { env: envWithoutDex(), cwd: unpacked });
  assert.equal(out.trim(), `dex-mcp ${VERSION} (component dex_guest.wasm ${VERSION})`);
});

test('the unpacked server, started without flags, serves the demo account from the component beside it', async () => {
  // Another working directory and no DEX_ variable: what a user's client
  // config gives it, nothing else.
  const log = await checkServes(
    { command: binary, args: [], env: envWithoutDex({ DEX_MCP_NO_STATE: 'true' }), cwd: scratch('archive-cwd') },
    'archive',
  );
  assert.match(log, new RegExp(`component code ready path=${root}/dex_guest.wasm version="?${VERSION.replaceAll('.', '\\.')}`));
  assert.match(log, /demo mode/);
});
