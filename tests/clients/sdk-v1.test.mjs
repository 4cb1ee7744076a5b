// The official TypeScript SDK, v1 line (@modelcontextprotocol/sdk 1.x): the
// client most MCP hosts shipped with. It speaks the 2025 handshake only;
// here over stdio and over Streamable HTTP.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import {
  CONTACT_TEMPLATE, checkCall, checkContactResource, checkIdCompletion, checkMeetingPrep, checkPromptList,
  checkSharedDefinitions, checkTemplates, checkToolList, demoContact, misspelled, serverCommand,
  sharedDefinitionCases, splitCalls, startHttpServer,
} from './lib/fixture.mjs';

let cases;
let contact;
let http;
before(async () => {
  contact = await demoContact();
  cases = splitCalls(contact);
  http = await startHttpServer();
});
after(() => http?.stop());

const transports = {
  stdio: () => new StdioClientTransport({ ...serverCommand(), stderr: 'ignore' }),
  http: () => new StreamableHTTPClientTransport(new URL(http.url)),
};

async function connected(transport) {
  const client = new Client({ name: 'dex-mcp-clients-sdk-v1', version: '0.0.0' });
  await client.connect(transports[transport]());
  return client;
}

for (const transport of Object.keys(transports)) {
  test(`@modelcontextprotocol/sdk 1.x over ${transport}: initialize, tools/list, tools/call`, async () => {
    const client = await connected(transport);
    try {
      assert.equal(client.getServerVersion()?.name, 'dex-mcp');
      const { tools } = await client.listTools();
      checkToolList(tools, `sdk 1.x ${transport}`);
      for (const call of cases.successes) {
        // callTool also validates structuredContent against the tool's outputSchema.
        const result = await client.callTool({ name: call.tool, arguments: call.arguments });
        checkCall(call, result, `sdk 1.x ${transport}`);
      }
    } finally {
      await client.close();
    }
  });

  test(`@modelcontextprotocol/sdk 1.x over ${transport}: tool errors`, async () => {
    const client = await connected(transport);
    try {
      await client.listTools(); // the SDK validates against the output schemas it has listed
      for (const call of cases.errors) {
        const result = await client.callTool({ name: call.tool, arguments: call.arguments });
        checkCall(call, result, `sdk 1.x ${transport}`);
      }
    } finally {
      await client.close();
    }
  });
}

// Shared definitions are in compact and full output schemas only.
test('@modelcontextprotocol/sdk 1.x over stdio, --output-schemas full: $defs and $ref', async () => {
  const client = new Client({ name: 'dex-mcp-clients-sdk-v1', version: '0.0.0' });
  await client.connect(new StdioClientTransport({ ...serverCommand({ outputSchemas: 'full' }), stderr: 'ignore' }));
  try {
    const { tools } = await client.listTools();
    // The validator callTool uses, on schemas with $defs and $ref.
    const ajv = new AjvJsonSchemaValidator();
    const validate = (schema, value) => ajv.getValidator(schema)(value).valid;
    for (const [name, breaking] of sharedDefinitionCases()) {
      const tool = tools.find((t) => t.name === name);
      const call = cases.successes.find((c) => c.tool === name);
      assert.ok(tool && call, `cases.json calls ${name}`);
      const result = await client.callTool({ name, arguments: call.arguments });
      checkSharedDefinitions(tool, result.structuredContent, breaking, validate, 'sdk 1.x stdio full');
    }
    // Failed calls too fit the full schemas, whose second arm is the error record.
    for (const call of cases.errors) {
      const result = await client.callTool({ name: call.tool, arguments: call.arguments });
      checkCall(call, result, 'sdk 1.x stdio full');
    }
  } finally {
    await client.close();
  }
});

for (const transport of Object.keys(transports)) {
  test(`@modelcontextprotocol/sdk 1.x over ${transport}: prompts, resources, completion`, async () => {
    const label = `sdk 1.x ${transport}`;
    const client = await connected(transport);
    try {
      const capabilities = client.getServerCapabilities();
      assert.ok(capabilities.prompts && capabilities.resources && capabilities.completions, label);
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
      await assert.rejects(client.getPrompt({ name: 'no_such_prompt' }), /-32602|no prompt/, `${label}: unknown prompt`);
    } finally {
      await client.close();
    }
  });
}
