-- wrk script for scripts/bench_enforcement.sh: GET /api/v1/enforcement/{id} for random accounts
-- among bench_e_0 .. bench_e_(BENCH_ACCOUNTS-1). Environment: BENCH_API_KEY (scope read), BENCH_ACCOUNTS.
local api_key = os.getenv("BENCH_API_KEY") or error("BENCH_API_KEY is not set")
local accounts = tonumber(os.getenv("BENCH_ACCOUNTS") or "20000")
wrk.headers["Authorization"] = "Bearer " .. api_key
statuses = {}

function init(args)
  math.randomseed(os.time() + math.random(100000))
end

function request()
  return wrk.format("GET", "/api/v1/enforcement/bench_e_" .. math.random(0, accounts - 1))
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
