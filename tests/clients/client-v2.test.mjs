// The official TypeScript SDK, v2 line (@modelcontextprotocol/client 2.x),
// over stdio and Streamable HTTP, each once with the 2025 handshake
// (`initialize`) and once pinned to the 2026-07-28 revision
// (`server/discover`, no handshake).

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import {
  CONTACT_TEMPLATE, calls, checkCall, checkContactResource, checkIdCompletion, checkMeetingPrep, checkPromptList,
  checkTemplates, checkToolList, demoContact, misspelled, serverCommand, startHttpServer,
} from './lib/fixture.mjs';

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
  { label: 'legacy (initialize)', mode: 'legacy', version: '2025-11-25' },
  { label: 'modern (2026-07-28)', mode: { pin: '2026-07-28' }, version: '2026-07-28' },
];

for (const transport of Object.keys(transports)) {
  for (const era of eras) {
    test(`@modelcontextprotocol/client 2.x over ${transport}, ${era.label}: tools/list, tools/call`, async () => {
      const label = `client 2.x ${transport} ${era.label}`;
      const client = new Client(
        { name: 'dex-mcp-clients-client-v2', version: '0.0.0' },
        { versionNegotiation: { mode: era.mode } },
      );
      await client.connect(transports[transport]());
      try {
        assert.equal(client.getNegotiatedProtocolVersion(), era.version);
        const { tools } = await client.listTools();
        checkToolList(tools, label);
        // Tool errors too: this client validates structuredContent only on success.
        for (const call of calls(contact)) {
          const result = await client.callTool({ name: call.tool, arguments: call.arguments });
          checkCall(call, result, label);
        }
      } finally {
        await client.close();
      }
    });
  }
}

for (const transport of Object.keys(transports)) {
  for (const era of eras) {
    test(`@modelcontextprotocol/client 2.x over ${transport}, ${era.label}: prompts, resources, completion`, async () => {
      const label = `client 2.x ${transport} ${era.label}`;
      const client = new Client(
        { name: 'dex-mcp-clients-client-v2', version: '0.0.0' },
        { versionNegotiation: { mode: era.mode } },
      );
      await client.connect(transports[transport]());
      try {
        checkPromptList((await client.listPrompts()).prompts, label);
        const prep = await client.getPrompt({ name: 'meeting_prep', arguments: { contact: contact.full_name } });
        checkMeetingPrep(prep, contact, label);
        checkTemplates((await client.listResourceTemplates()).resourceTemplates, label);
        const read = await client.readResource({ uri: `dex://contacts/${contact.id}` });
        checkContactResource(read, contact, label);
        const { completion } = await client.complete({
          ref: { type: 'ref/resource', uri: CONTACT_TEMPLATE },
          argument: { name: 'id', value: misspelled(contact.full_name) },
        });
        checkIdCompletion(completion, contact, label);
      } finally {
        await client.close();
      }
    });
  }
}
