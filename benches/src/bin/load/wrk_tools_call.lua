-- wrk script: stateless MCP `tools/call` POSTs (revision 2026-07-28), the
-- same requests the load harness sends, for a cross-check of its
-- throughput rows with another load generator.
--
--   target/release/load echo-server            # prints 127.0.0.1:PORT
--   wrk -t1 -c16 -d10s -s benches/src/bin/load/wrk_tools_call.lua http://127.0.0.1:PORT/mcp
--   WRK_TOOL=search_contacts_full_text wrk ... http://DEX_MCP_ADDR/mcp
--
-- WRK_TOOL=echo (default) calls the echo baseline; any other tool name is
-- called with {"query": ...} drawn from WRK_QUERIES (comma-separated).

local tool = os.getenv("WRK_TOOL") or "echo"
local queries = {}
for q in string.gmatch(os.getenv("WRK_QUERIES") or "Smith,Northwind,coffee,Maria Garcia", "[^,]+") do
  queries[#queries + 1] = q
end
local counter = 0
local threads = {}

-- Runs in the main state once per thread: kept to read their counts at the end.
setup = function(thread)
  threads[#threads + 1] = thread
end

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json, text/event-stream"
wrk.headers["MCP-Protocol-Version"] = "2026-07-28"
wrk.headers["Mcp-Method"] = "tools/call"
wrk.headers["Mcp-Name"] = tool

local meta = '"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28",'
  .. '"io.modelcontextprotocol/clientInfo":{"name":"wrk","version":"1"},'
  .. '"io.modelcontextprotocol/clientCapabilities":{}}'

request = function()
  counter = counter + 1
  local arguments
  if tool == "echo" then
    arguments = '{"text":"hello ' .. counter .. '"}'
  else
    arguments = '{"query":"' .. queries[(counter % #queries) + 1] .. '"}'
  end
  local body = '{"jsonrpc":"2.0","id":' .. counter .. ',"method":"tools/call","params":{"name":"'
    .. tool .. '","arguments":' .. arguments .. ',' .. meta .. '}}'
  return wrk.format(nil, nil, nil, body)
end

failures = 0
response = function(status, headers, body)
  if status ~= 200 or string.find(body, '"isError":true', 1, true) or string.find(body, '"error":', 1, true) then
    failures = failures + 1
    if failures <= 3 then
      io.stderr:write("failed answer: " .. status .. " " .. string.sub(body, 1, 300) .. "\n")
    end
  end
end

done = function(summary, latency, requests)
  local failed = 0
  for _, thread in ipairs(threads) do
    failed = failed + thread:get("failures")
  end
  io.write(string.format("failed answers: %d of %d\n", failed, summary.requests))
  io.write(string.format("p50 %.2f ms, p90 %.2f ms, p99 %.2f ms\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000))
end
