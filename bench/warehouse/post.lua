-- bench/warehouse/post.lua — wrk script: every request creates and posts (?post=true) one stock document of
-- two lines on the same few parts (NETOPS_BENCH_PARTS, comma-separated ids), from warehouse
-- NETOPS_BENCH_SOURCE: an issue, or a transfer to NETOPS_BENCH_TARGET, the two parts in random order so
-- that concurrent postings lock the same rows from both sides. Answers are counted by status.
local parts = {}
for id in string.gmatch(os.getenv("NETOPS_BENCH_PARTS"), "[^,]+") do parts[#parts + 1] = id end
local source = os.getenv("NETOPS_BENCH_SOURCE")
local target = os.getenv("NETOPS_BENCH_TARGET")
assert(#parts >= 2 and source and target, "NETOPS_BENCH_PARTS / SOURCE / TARGET")

local threads = {}
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("seed", counter)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(os.time() + (seed or 0) * 7919)
end

statuses = {}
function request()
  local a = math.random(#parts)
  local b = a % #parts + 1
  if math.random(2) == 1 then a, b = b, a end
  local lines = '[{"partId":"' .. parts[a] .. '","qty":1},{"partId":"' .. parts[b] .. '","qty":2}]'
  local body
  if math.random(2) == 1 then
    body = '{"docType":"issue","warehouseId":"' .. source .. '","lines":' .. lines .. '}'
  else
    body = '{"docType":"transfer","warehouseId":"' .. source .. '","targetWarehouseId":"' .. target ..
      '","lines":' .. lines .. '}'
  end
  local headers = { ["Content-Type"] = "application/json" }
  for k, v in pairs(wrk.headers) do headers[k] = v end
  return wrk.format("POST", "/api/v1/warehouse/documents?post=true", headers, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    for status, n in pairs(t:get("statuses")) do total[status] = (total[status] or 0) + n end
  end
  for status, n in pairs(total) do io.write(string.format("status %d: %d\n", status, n)) end
end
