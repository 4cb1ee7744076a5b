// The same dex_guest.wasm in another runtime: transpiled to JavaScript by
// jco and run by Node.js, with @bytecodealliance/preview2-shim providing WASI
// 0.2 and wasi:http. No dex-mcp host is involved, so the guest gets the key
// itself (DEX_API_KEY) and sends it as `Authorization: Bearer`.
//
// The shim's outgoing HTTP is synchronous: it blocks Node's main thread until
// the answer arrives, so the simulator must be another process (dex-sim).

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import { WASIShim } from '@bytecodealliance/preview2-shim/instantiation';
import { CLIENTS_DIR, COMPONENT, NODE, seededContact, startSim } from './lib/fixture.mjs';
import { keyValueStore } from './lib/keyvalue.mjs';

const OUT = join(CLIENTS_DIR, 'build', 'jco', 'dex_guest');

let sim;
let contact;
let instantiate;

before(async () => {
  mkdirSync(OUT, { recursive: true });
  // `jco transpile` as a user would run it; --instantiation async lets the
  // test hand in its own WASI imports (and so its own environment).
  execFileSync(
    NODE,
    [join(CLIENTS_DIR, 'node_modules', '@bytecodealliance', 'jco', 'dist', 'jco.js'), 'transpile', COMPONENT,
      '--instantiation', 'async', '--no-typescript', '--quiet', '-o', OUT],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  ({ instantiate } = await import(pathToFileURL(join(OUT, 'dex_guest.js')).href));
  sim = await startSim();
  contact = await seededContact(sim);
});

after(() => sim?.stop());

/**
 * A fresh instance whose environment is `env` and nothing else, with no
 * preopened directory, keeping its state in `keyValue` (a fresh store unless given).
 */
async function guest(env, keyValue = keyValueStore()) {
  const shim = new WASIShim({ sandbox: { preopens: {}, env } });
  const compile = async (file) => WebAssembly.compile(readFileSync(join(OUT, file)));
  return instantiate(compile, { ...shim.getImportObject(), 'wasi:keyvalue/store': keyValue.store });
}

test('jco: the catalogue describes the read tools', async () => {
  const component = await guest({});
  const docs = component.catalogue.describe();
  for (const name of ['find-contact', 'search-contacts-full-text']) {
    const doc = docs.find((d) => d.name === name);
    assert.ok(doc, `${name} among ${docs.map((d) => d.name)}`);
    assert.equal(doc.hints.readOnly, true, name);
  }
});

test('jco: find-contact by a seeded email reaches dex-sim and returns that contact', async () => {
  const component = await guest({ DEX_API_BASE_URL: sim.baseUrl, DEX_API_KEY: sim.apiKey });
  const answer = component.contacts.findContact(undefined, contact.email);
  assert.equal(answer.matches[0].contact.id, contact.id, JSON.stringify(answer).slice(0, 1000));
  assert.equal(answer.matches[0].confidence, 100);
  assert.ok(answer.matches[0].contact.emails.some((e) => e.email === contact.email));
});

test('jco: search-contacts-full-text by a seeded name finds that contact', async () => {
  const component = await guest({ DEX_API_BASE_URL: sim.baseUrl, DEX_API_KEY: sim.apiKey });
  const answer = component.search.searchContactsFullText(contact.full_name, 20, undefined, ['contacts'], undefined);
  assert.ok(answer.hits.some((hit) => hit.id === contact.id), JSON.stringify(answer).slice(0, 1000));
});

test('jco: a wrong key comes back as the tool error `unauthorized`', async () => {
  const component = await guest({ DEX_API_BASE_URL: sim.baseUrl, DEX_API_KEY: 'not-the-key' });
  assert.throws(
    () => component.contacts.findContact(undefined, contact.email),
    (err) => err.payload?.kind === 'unauthorized' && err.payload?.code === -32002,
  );
});

test('jco: a malformed email is a validation error before any request', async () => {
  const component = await guest({ DEX_API_BASE_URL: 'http://127.0.0.1:9', DEX_API_KEY: 'unused' });
  assert.throws(
    () => component.contacts.findContact(undefined, 'ada(at)example.com'),
    (err) => err.payload?.kind === 'validation' && err.payload?.field === 'email',
  );
});

test('jco: a second instance on the same key-value store answers from the stored account', async () => {
  const keyValue = keyValueStore();
  const first = await guest({ DEX_API_BASE_URL: sim.baseUrl, DEX_API_KEY: sim.apiKey }, keyValue);
  first.search.searchContactsFullText(contact.full_name, 20, undefined, ['contacts'], undefined);
  assert.ok(keyValue.values.has('account-snapshot'), [...keyValue.values.keys()].join(', '));
  // No Dex at this address: only the stored account can answer.
  const second = await guest({ DEX_API_BASE_URL: 'http://127.0.0.1:9', DEX_API_KEY: 'unused' }, keyValue);
  const answer = second.search.searchContactsFullText(contact.full_name, 20, undefined, ['contacts'], undefined);
  assert.ok(answer.hits.some((hit) => hit.id === contact.id), JSON.stringify(answer).slice(0, 1000));
});
