-- wrk script: POST /api/chat/messages, one conversation after the other (ids in NETOPS_BENCH_CONVERSATIONS,
-- one per line), so each turn meets a conversation of about the seeded length rather than one that grows.
local ids = {}
for line in io.lines(os.getenv("NETOPS_BENCH_CONVERSATIONS")) do ids[#ids + 1] = line end
assert(#ids > 0, "no conversation ids")
local model = os.getenv("NETOPS_BENCH_MODEL") or "mock/echo"
local question = "Which counters show a failing optic on Te1/0/48, and what thresholds point to the transceiver "
  .. "rather than a duplex or MTU mismatch? Keep it short."
local n = 0
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("offset", counter * 7919)
end

function request()
  n = n + 1
  local id = ids[((offset or 0) + n) % #ids + 1]
  local body = '{"conversationId":"' .. id .. '","model":"' .. model .. '","message":"' .. question .. '"}'
  -- wrk.format uses the given headers instead of wrk.headers (which hold -H Authorization): merge them.
  local headers = { ["Content-Type"] = "application/json" }
  for k, v in pairs(wrk.headers) do headers[k] = v end
  return wrk.format("POST", "/api/chat/messages", headers, body)
end
