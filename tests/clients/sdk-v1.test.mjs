// The official TypeScript SDK, v1 line (@modelcontextprotocol/sdk 1.x): the
// client most MCP hosts shipped with. It speaks the 2025 handshake only.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import {
  ERROR_STRUCTURED_CONTENT_ISSUE, checkCall, checkToolList, demoContact, serverCommand, splitCalls,
} from './lib/fixture.mjs';

let cases;
let client;

before(async () => {
  cases = splitCalls(await demoContact());
  client = new Client({ name: 'dex-mcp-clients-sdk-v1', version: '0.0.0' });
  await client.connect(new StdioClientTransport({ ...serverCommand(), stderr: 'ignore' }));
});

after(() => client?.close());

test('@modelcontextprotocol/sdk 1.x over stdio: initialize and tools/list', async () => {
  assert.equal(client.getServerVersion()?.name, 'dex-mcp');
  const { tools } = await client.listTools();
  checkToolList(tools, 'sdk 1.x');
});

test('@modelcontextprotocol/sdk 1.x over stdio: tools/call', async () => {
  for (const call of cases.successes) {
    // callTool also validates structuredContent against the tool's outputSchema.
    const result = await client.callTool({ name: call.tool, arguments: call.arguments });
    checkCall(call, result, 'sdk 1.x');
  }
});

test('@modelcontextprotocol/sdk 1.x over stdio: tool errors', { todo: ERROR_STRUCTURED_CONTENT_ISSUE }, async () => {
  for (const call of cases.errors) {
    const result = await client.callTool({ name: call.tool, arguments: call.arguments });
    checkCall(call, result, 'sdk 1.x');
  }
});
