-- bench/assets/list.lua — wrk script: GET the request paths of NETOPS_BENCH_PATHS (one per line) in
-- turn, with the bearer token NETOPS_BENCH_TOKEN. Non-2xx answers are counted by wrk as errors.
local token = os.getenv("NETOPS_BENCH_TOKEN")
local file = os.getenv("NETOPS_BENCH_PATHS")
local paths = {}
for line in io.lines(file) do
  if #line > 0 then paths[#paths + 1] = line end
end
assert(#paths > 0, "no request paths in " .. tostring(file))
local headers = { ["Authorization"] = "Bearer " .. token }
local i = 0

request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i], headers)
end
