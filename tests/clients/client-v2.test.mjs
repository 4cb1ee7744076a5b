// The official TypeScript SDK, v2 line (@modelcontextprotocol/client 2.x),
// once with the 2025 handshake (`initialize`) and once pinned to the
// 2026-07-28 revision (`server/discover`, no handshake).

import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { calls, checkCall, checkToolList, demoContact, serverCommand } from './lib/fixture.mjs';

let contact;
before(async () => {
  contact = await demoContact();
});

const eras = [
  { label: 'legacy (initialize)', mode: 'legacy', version: '2025-11-25' },
  { label: 'modern (2026-07-28)', mode: { pin: '2026-07-28' }, version: '2026-07-28' },
];

for (const era of eras) {
  test(`@modelcontextprotocol/client 2.x over stdio, ${era.label}: tools/list, tools/call`, async () => {
    const client = new Client(
      { name: 'dex-mcp-clients-client-v2', version: '0.0.0' },
      { versionNegotiation: { mode: era.mode } },
    );
    await client.connect(new StdioClientTransport({ ...serverCommand(), stderr: 'ignore' }));
    try {
      assert.equal(client.getNegotiatedProtocolVersion(), era.version);
      const { tools } = await client.listTools();
      checkToolList(tools, `client 2.x ${era.label}`);
      for (const call of calls(contact)) {
        const result = await client.callTool({ name: call.tool, arguments: call.arguments });
        checkCall(call, result, `client 2.x ${era.label}`);
      }
    } finally {
      await client.close();
    }
  });
}
