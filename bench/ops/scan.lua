-- bench/ops/scan.lua — wrk script: POST /api/v1/inventory/<NETOPS_BENCH_SESSION>/scan of a random asset code
-- OPS-0000001 … OPS-<NETOPS_BENCH_ROWS> at the room NETOPS_BENCH_ROOM (found there or moved), with the bearer
-- token NETOPS_BENCH_TOKEN. Each wrk connection is one scanner; later scans of a code already scanned are
-- the idempotent repeats a double-firing scanner makes. Non-2xx answers are counted by wrk as errors.
local token = os.getenv("NETOPS_BENCH_TOKEN")
local session = os.getenv("NETOPS_BENCH_SESSION")
local room = os.getenv("NETOPS_BENCH_ROOM")
local rows = tonumber(os.getenv("NETOPS_BENCH_ROWS") or "100000")
local path = "/api/v1/inventory/" .. session .. "/scan"
local headers = { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }

local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("id", threads)
end

init = function(args)
  math.randomseed(os.time() * 100 + (id or 0))
end

request = function()
  local code = string.format("OPS-%07d", math.random(1, rows))
  local body = '{"assetCode":"' .. code .. '","scannedLocationId":"' .. room .. '"}'
  return wrk.format("POST", path, headers, body)
end
