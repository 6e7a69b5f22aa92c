-- Like post.lua, and counts the answers by HTTP status (printed at the end as "status N: count").
-- Defining response() costs wrk some speed, so only the concurrent-streams step uses it.
local path = os.getenv("NETOPS_BENCH_BODY")
local f = assert(io.open(path, "rb"), "cannot open NETOPS_BENCH_BODY=" .. tostring(path))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"

local threads = {}
function setup(thread)
  table.insert(threads, thread)
end

statuses = {}
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    for status, n in pairs(t:get("statuses")) do
      total[status] = (total[status] or 0) + n
    end
  end
  for status, n in pairs(total) do
    io.write(string.format("status %d: %d\n", status, n))
  end
end
