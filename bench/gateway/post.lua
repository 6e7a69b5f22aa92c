-- wrk script: POST the body in the file named by NETOPS_BENCH_BODY (JSON) on every request.
local path = os.getenv("NETOPS_BENCH_BODY")
local f = assert(io.open(path, "rb"), "cannot open NETOPS_BENCH_BODY=" .. tostring(path))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
