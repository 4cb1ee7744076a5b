// The official MCP conformance suite (@modelcontextprotocol/conformance,
// 0.2.0-alpha line) against `dex-mcp --transport http`, once per spec
// revision at that revision's wire: 2026-07-28 (stateless, server/discover)
// and 2025-11-25 (initialize, sessions).
//
// Every check must pass (a WARNING, a broken SHOULD, counts as a failure,
// as it does for the suite's own baseline) except those listed in conformance/<revision>.yaml
// (fixture tools of the suite's reference server, capabilities dex-mcp does
// not declare, the optional tasks extension; docs/conformance.md).
//
// The prompts, resources and completion scenarios call the reference
// server's fixture prompts and resources by name (test_simple_prompt,
// test://static-text, ...). They run a second time against dex-mcp serving
// the fixtures component (tests/guests/fixtures), which exports those
// fixtures through the same WIT interfaces as the Dex component, and there
// every check must pass with nothing listed. The suite's
// own exit code scores only what a revision requires, so this file also reads
// every check the run saved and holds the unscored scenarios (pending,
// extension) to the same list: a failure nobody listed fails, and so does a
// listed entry that passes.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CLIENTS_DIR, FIXTURES_COMPONENT, NODE, startHttpServer } from './lib/fixture.mjs';

const SUITE = join(CLIENTS_DIR, 'node_modules', '@modelcontextprotocol', 'conformance', 'dist', 'index.js');

/**
 * Protocol-level scenarios that must run and pass at least one check at each
 * revision, so that a renamed or silently skipped scenario is noticed too.
 */
const PROTOCOL_SCENARIOS = {
  '2026-07-28': [
    'server-stateless',
    'tools-list',
    'caching',
    'http-header-validation',
    'dns-rebinding-protection',
    'server-sse-multiple-streams',
    'sep-2164-resource-not-found',
    'input-required-result-unsupported-methods',
    'input-required-result-validate-input',
  ],
  '2025-11-25': [
    'server-initialize',
    'server-session-lifecycle',
    'ping',
    'tools-list',
    'dns-rebinding-protection',
    'server-sse-multiple-streams',
    'server-sse-polling',
  ],
};

/**
 * The scenarios about prompts, resources and completions, run against the
 * fixtures component, where every check must pass.
 */
const FIXTURE_SCENARIOS = {
  '2026-07-28': [
    'prompts-list',
    'prompts-get-simple',
    'prompts-get-with-args',
    'prompts-get-embedded-resource',
    'prompts-get-with-image',
    'resources-list',
    'resources-read-text',
    'resources-read-binary',
    'resources-templates-read',
    'completion-complete',
    'caching',
    'sep-2164-resource-not-found',
  ],
  '2025-11-25': [
    'prompts-list',
    'prompts-get-simple',
    'prompts-get-with-args',
    'prompts-get-embedded-resource',
    'prompts-get-with-image',
    'resources-list',
    'resources-read-text',
    'resources-read-binary',
    'resources-templates-read',
    'completion-complete',
  ],
};

/**
 * Of the fixture scenarios, those that ask the Dex component for a fixture
 * by name, and so fail against it whatever it does: in the Dex run they are
 * added to the expected failures (they are scored in the fixtures run).
 * `prompts-list`, `resources-list`, `caching` and the not-found scenario
 * pass against the Dex component too, and are scored there as well.
 */
const NAMES_A_FIXTURE = [
  'prompts-get-simple',
  'prompts-get-with-args',
  'prompts-get-embedded-resource',
  'prompts-get-with-image',
  'resources-read-text',
  'resources-read-binary',
  'resources-templates-read',
  'completion-complete',
];

/** The entries of a `server:` list in the suite's expected-failures YAML. */
function notApplicable(revision) {
  const path = join(CLIENTS_DIR, 'conformance', `${revision}.yaml`);
  const entries = [];
  let inServer = false;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (/^\S/.test(line) && !line.startsWith('#')) inServer = line.trim() === 'server:';
    const entry = /^\s+-\s+([\w:.-]+)\s*(#.*)?$/.exec(line);
    if (inServer && entry) entries.push(entry[1]);
  }
  assert.ok(entries.length > 0, `${path} lists nothing`);
  return { path, entries };
}

/** Runs the suite's CLI; resolves to its exit code and output. */
function runSuite(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(NODE, [SUITE, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (output += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}

/** Every check the run saved in `dir`, as `{ scenario, id, status, message }`. */
function savedChecks(dir) {
  const checks = [];
  for (const name of readdirSync(dir)) {
    const scenario = /^server-(.+)-\d{4}-\d{2}-\d{2}T[\d-]+Z$/.exec(name)?.[1];
    if (!scenario) continue;
    for (const check of JSON.parse(readFileSync(join(dir, name, 'checks.json'), 'utf8'))) {
      checks.push({ scenario, id: check.id, status: check.status, message: check.errorMessage ?? '' });
    }
  }
  return checks;
}

for (const revision of Object.keys(PROTOCOL_SCENARIOS)) {
  test(`conformance suite, spec revision ${revision}, over Streamable HTTP`, { timeout: 600_000 }, async () => {
    const { path: listPath, entries: listed } = notApplicable(revision);
    const entries = [...listed, ...NAMES_A_FIXTURE];
    const server = await startHttpServer();
    const results = mkdtempSync(join(tmpdir(), `dex-mcp-conformance-${revision}-`));
    try {
      // The committed list plus the scenarios that name a fixture.
      const runList = join(results, 'expected-failures.yaml');
      writeFileSync(runList, `server:\n${entries.map((e) => `  - ${e}\n`).join('')}`);
      const run = await runSuite([
        'server',
        '--url', server.url,
        '--requirements', revision,
        '--expected-failures', runList,
        '--output-dir', results,
      ]);
      const summary = run.output.slice(run.output.indexOf('=== SUMMARY ==='));
      assert.equal(run.code, 0, `the suite failed on a required scenario (or a stale entry in ${listPath}):\n${summary}`);

      const checks = savedChecks(results);
      const listed = (check) => entries.includes(check.scenario) || entries.includes(`${check.scenario}:${check.id}`);
      const failed = (c) => c.status === 'FAILURE' || c.status === 'WARNING';
      const unexpected = checks.filter((c) => failed(c) && !listed(c));
      assert.deepEqual(
        unexpected.map((c) => `${c.scenario}:${c.id}: ${c.message}`),
        [],
        `checks failed that ${listPath} does not list`,
      );
      const stale = entries.filter((entry) => {
        const [scenario, id] = entry.split(':');
        return !checks.some((c) => c.scenario === scenario && (id === undefined || c.id === id) && failed(c));
      });
      assert.deepEqual(stale, [], `${listPath} lists checks that did not fail: remove them`);
      for (const scenario of PROTOCOL_SCENARIOS[revision]) {
        assert.ok(
          checks.some((c) => c.scenario === scenario && c.status === 'SUCCESS'),
          `${scenario} ran and passed a check:\n${summary}`,
        );
      }
    } finally {
      server.stop();
      rmSync(results, { recursive: true, force: true });
    }
  });
}

for (const revision of Object.keys(FIXTURE_SCENARIOS)) {
  test(`conformance suite, prompts and resources of the fixtures component, ${revision}`, { timeout: 600_000 }, async () => {
    const server = await startHttpServer({ component: FIXTURES_COMPONENT });
    const results = mkdtempSync(join(tmpdir(), `dex-mcp-conformance-fixtures-${revision}-`));
    try {
      for (const scenario of FIXTURE_SCENARIOS[revision]) {
        const run = await runSuite([
          'server',
          '--url', server.url,
          '--scenario', scenario,
          '--spec-version', revision,
          '--output-dir', results,
        ]);
        assert.equal(run.code, 0, `${scenario} failed against the fixtures component:\n${run.output}`);
      }
      const checks = savedChecks(results);
      const failed = checks.filter((c) => c.status === 'FAILURE' || c.status === 'WARNING');
      assert.deepEqual(failed.map((c) => `${c.scenario}:${c.id}: ${c.message}`), [], 'checks failed against the fixtures component');
      for (const scenario of FIXTURE_SCENARIOS[revision]) {
        assert.ok(
          checks.some((c) => c.scenario === scenario && c.status === 'SUCCESS'),
          `${scenario} ran against the fixtures component and passed a check`,
        );
      }
    } finally {
      server.stop();
      rmSync(results, { recursive: true, force: true });
    }
  });
}
