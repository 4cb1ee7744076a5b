// Consent by elicitation with the official TypeScript SDK, v2 line
// (@modelcontextprotocol/client 2.x), which declares form elicitation once
// it has an `elicitation/create` handler. On a note it first creates, a
// delete without `confirm` is put to the handler: yes deletes it, no leaves
// it. In the 2025 era the server asks during the call; pinned to
// 2026-07-28 the call answers `input_required` and the SDK retries it
// with the handler's answer by itself. Over stdio and Streamable HTTP.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { demoContact, serverCommand, startHttpServer } from './lib/fixture.mjs';

let contact;
let http;
before(async () => {
  contact = await demoContact();
  http = await startHttpServer();
});
after(() => http?.stop());

const transports = {
  stdio: () => new StdioClientTransport({ ...serverCommand(), stderr: 'ignore' }),
  http: () => new StreamableHTTPClientTransport(new URL(http.url)),
};

const eras = [
  { label: 'legacy (initialize)', mode: 'legacy' },
  { label: 'modern (2026-07-28)', mode: { pin: '2026-07-28' } },
];

/** A connected client whose user answers every question with `answer`; `questions` collects what it was asked. */
async function connected(transport, era, answer) {
  const client = new Client(
    { name: 'dex-mcp-clients-consent', version: '0.0.0' },
    { capabilities: { elicitation: { form: {} } }, versionNegotiation: { mode: era.mode } },
  );
  const questions = [];
  client.setRequestHandler('elicitation/create', async (request) => {
    questions.push(request.params);
    return answer;
  });
  await client.connect(transports[transport]());
  return { client, questions };
}

/** Adds a note about the demo contact and returns its id. */
async function newNote(client, text) {
  const saved = await client.callTool({ name: 'add_contact_note', arguments: { contact_ids: [contact.id], text } });
  assert.ok(!saved.isError, JSON.stringify(saved));
  return saved.structuredContent.note.id;
}

async function noteExists(client, noteId) {
  const read = await client.callTool({ name: 'get_note', arguments: { note_id: noteId } });
  if (!read.isError) return true;
  assert.equal(read.structuredContent?.kind, 'not_found', JSON.stringify(read));
  return false;
}

for (const transport of Object.keys(transports)) {
  for (const era of eras) {
    const label = `client 2.x over ${transport}, ${era.label}`;

    test(`${label}: a yes in the elicitation deletes the note`, async () => {
      const { client, questions } = await connected(transport, era, { action: 'accept', content: { confirm: true } });
      try {
        const noteId = await newNote(client, `Elicited yes over ${transport} ${era.label}`);
        const result = await client.callTool({ name: 'delete_note', arguments: { note_id: noteId } });
        assert.ok(!result.isError, `${label}: ${JSON.stringify(result)}`);
        assert.equal(questions.length, 1, `${label}: ${JSON.stringify(questions)}`);
        assert.equal(questions[0].mode ?? 'form', 'form');
        assert.match(questions[0].message, /Elicited yes/, 'the question quotes the note');
        assert.equal(questions[0].requestedSchema.properties.confirm.type, 'boolean');
        assert.equal(await noteExists(client, noteId), false, `${label}: the note is gone`);
      } finally {
        await client.close();
      }
    });

    test(`${label}: a no in the elicitation keeps the note`, async () => {
      const { client, questions } = await connected(transport, era, { action: 'decline' });
      try {
        const noteId = await newNote(client, `Elicited no over ${transport} ${era.label}`);
        const result = await client.callTool({ name: 'delete_note', arguments: { note_id: noteId } });
        assert.equal(result.isError, true, `${label}: ${JSON.stringify(result)}`);
        assert.equal(result.structuredContent.user_answer, 'declined');
        assert.match(result.structuredContent.message, /^Nothing was changed/);
        assert.equal(questions.length, 1);
        assert.equal(await noteExists(client, noteId), true, `${label}: the note was deleted after a no`);
      } finally {
        await client.close();
      }
    });
  }
}
