-- wrk script for scripts/bench_signup.sh: every request is a NEW signup to POST /api/v1/signups.
-- account_id = bench_<run>_<thread>_<counter>, so nothing repeats within or across runs. Emails, IPs,
-- user agents, pathways and organisations vary; a few shared cards, devices and /24s keep reuse counts
-- non-zero. Event times walk through the last week of the simulated window (2026-02-27 onwards), where
-- the reuse index is as full as in steady state.
-- Environment: BENCH_API_KEY (required, scope signup), BENCH_RUN_ID (default: the clock).

local run_id = os.getenv("BENCH_RUN_ID") or tostring(os.time())
local api_key = os.getenv("BENCH_API_KEY") or error("BENCH_API_KEY is not set")

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. api_key

local FIRST_EVENT = 1772150400 -- 2026-02-27T00:00:00Z
local WEEK = 7 * 24 * 3600

local FIRST = {"emma", "liam", "olivia", "noah", "ava", "wei", "yuki", "sofia", "mateo", "priya",
  "arjun", "fatima", "lucas", "chloe", "jonas", "ines", "omar", "hana", "david", "mia", "kenji", "lea"}
local LAST = {"smith", "garcia", "chen", "mueller", "rossi", "kim", "nguyen", "silva", "patel", "tanaka",
  "dubois", "novak", "kowalski", "jensen", "ahmed", "lopez", "wang", "brown", "martin", "sato"}

-- Universities: domain, organisation, campus /24, country.
local CAMPUSES = {
  {"mit.edu", "Massachusetts Institute of Technology", "18.29.1.", "US"},
  {"cs.stanford.edu", "Stanford University", "171.64.68.", "US"},
  {"berkeley.edu", "University of California, Berkeley", "136.152.143.", "US"},
  {"nyu.edu", "New York University", "216.165.96.", "US"},
  {"mails.tsinghua.edu.cn", "Tsinghua University", "183.172.232.", "CN"},
  {"g.ecc.u-tokyo.ac.jp", "The University of Tokyo", "133.11.224.", "JP"},
  {"ox.ac.uk", "University of Oxford", "163.1.2.", "GB"},
  {"ethz.ch", "ETH Zurich", "129.132.10.", "CH"},
}
local FREE = {"gmail.com", "gmail.com", "gmail.com", "yahoo.com", "outlook.com", "hotmail.co.uk", "gmx.de",
  "orange.fr", "proton.me", "qq.com"}
local DISPOSABLE = {"mailinator.com", "guerrillamail.com", "10minutemail.com"}
local COMPANIES = {
  {"zephyrvision.io", "Zephyr Vision"}, {"tailspintoys.com", "Tailspin Toys"}, {"contoso.com", "Contoso Ltd"},
  {"fabrikam.com", "Fabrikam Inc"}, {"northwindtraders.com", "Northwind Traders"}, {"lumenlabs.ai", "Lumen Labs"},
}
-- Country, a mobile dialling prefix there, and the digits that follow it in E.164.
local COUNTRIES = {
  {"US", "+1415", 7}, {"US", "+1212", 7}, {"GB", "+447", 9}, {"DE", "+4915", 9}, {"FR", "+336", 8},
  {"JP", "+8190", 8}, {"CN", "+86130", 8}, {"IN", "+9198", 8}, {"BR", "+55119", 8}, {"CH", "+4179", 7},
}
local DIAL = {}
for _, entry in ipairs(COUNTRIES) do DIAL[entry[1]] = entry end
-- Residential first octets, and cloud and proxy /24s that many signups share.
local RESIDENTIAL = {73, 24, 98, 86, 90, 88, 5, 105, 108, 146, 153, 181, 201}
local SHARED_PREFIXES = {"34.125.17.", "52.14.200.", "3.88.41.", "185.220.101.", "45.77.12.", "104.28.9."}
local USER_AGENTS = {
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0.0.0 Safari/537.36",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.4 Safari/605.1.15",
  "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:131.0) Gecko/20100101 Firefox/131.0",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 16_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.4 Mobile/15E148 Safari/604.1",
  "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Mobile Safari/537.36",
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/119.0.0.0 Safari/537.36",
  "python-requests/2.31.0",
  "",
}

local counter = 0
-- Globals, not locals: done() reads them from each thread with thread:get.
statuses = {}
first_error = ""

local function pick(list) return list[math.random(#list)] end
local function chance(p) return math.random() < p end
local function hex(n)
  local out = {}
  for i = 1, n do out[i] = string.format("%x", math.random(0, 15)) end
  return table.concat(out)
end
local function digits(n)
  local out = {}
  for i = 1, n do out[i] = tostring(math.random(0, 9)) end
  return table.concat(out)
end

local function local_part(first, last)
  local style = math.random(6)
  if style == 1 then return first .. "." .. last end
  if style == 2 then return first:sub(1, 1) .. last end
  if style == 3 then return first .. last .. math.random(1, 99) end
  if style == 4 then return first .. "_" .. last end
  if style == 5 then return first:sub(1, 2) .. math.random(1000, 9999) end
  return hex(10) -- a throwaway handle
end

local function residential_ip()
  return string.format("%d.%d.%d.%d", pick(RESIDENTIAL), math.random(0, 255), math.random(0, 255), math.random(1, 254))
end

local function json_string(value)
  return '"' .. value:gsub('\\', '\\\\'):gsub('"', '\\"') .. '"'
end

local function signup_body()
  local first, last = pick(FIRST), pick(LAST)
  local country = pick(COUNTRIES)[1]
  local fields = {}
  local roll = math.random()
  if roll < 0.30 then -- a student or researcher on campus
    local domain, organization, prefix, campus_country = unpack(pick(CAMPUSES))
    country = campus_country
    fields.pathway = chance(0.75) and "education" or "research"
    fields.email = local_part(first, last) .. "@" .. domain
    fields.organization = chance(0.6) and organization or ""
    fields.ip = prefix .. math.random(1, 254)
  elseif roll < 0.42 then -- an "education" signup from a free or disposable address, often from shared infrastructure
    fields.pathway = "education"
    fields.email = local_part(first, last) .. "@" .. (chance(0.5) and pick(DISPOSABLE) or pick(FREE))
    fields.organization = chance(0.5) and pick(CAMPUSES)[2] or ""
    fields.ip = chance(0.7) and (pick(SHARED_PREFIXES) .. math.random(1, 254)) or residential_ip()
  elseif roll < 0.62 then -- a startup or an enterprise
    local domain, organization = unpack(pick(COMPANIES))
    fields.pathway = chance(0.5) and "startup" or "enterprise"
    fields.email = local_part(first, last) .. "@" .. domain
    fields.organization = organization
    fields.ip = chance(0.3) and (pick(SHARED_PREFIXES) .. math.random(1, 254)) or residential_ip()
  else -- an individual
    fields.pathway = "standard"
    fields.email = local_part(first, last) .. "@" .. pick(FREE)
    fields.organization = ""
    fields.ip = chance(0.1) and (pick(SHARED_PREFIXES) .. math.random(1, 254)) or residential_ip()
  end
  fields.user_agent = pick(USER_AGENTS)
  if chance(0.85) then
    fields.device_id = chance(0.08) and string.format("dfp_shared_%02d", math.random(20)) or ("dfp_" .. hex(16))
  end
  if chance(0.6) then
    fields.payment_fingerprint = chance(0.12) and string.format("pmfp_shared_%02d", math.random(25))
      or ("pmfp_" .. hex(16))
  end
  if chance(0.5) then
    local _, dial, length = unpack(DIAL[country])
    fields.phone = dial .. digits(length)
  end
  fields.country = country

  counter = counter + 1
  local at = FIRST_EVENT + ((counter * 2 + thread_id) * 9) % WEEK
  local parts = {
    '"account_id":' .. json_string(string.format("bench_%s_%d_%d", run_id, thread_id, counter)),
    '"created_at":' .. json_string(os.date("!%Y-%m-%dT%H:%M:%SZ", at)),
  }
  for name, value in pairs(fields) do
    if value ~= "" then parts[#parts + 1] = json_string(name) .. ":" .. json_string(value) end
  end
  return "{" .. table.concat(parts, ",") .. "}"
end

-- Runs in the main Lua state once per thread, before init: gives each thread its number.
local threads = {}
function setup(thread)
  threads[#threads + 1] = thread
  thread:set("thread_id", #threads)
end

function init(args)
  math.randomseed(os.time() + thread_id * 7919)
end

function request()
  return wrk.format(nil, "/api/v1/signups", nil, signup_body())
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status ~= 201 and first_error == "" then first_error = status .. " " .. body end
end

function done(summary, latency, requests)
  local totals = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do totals[status] = (totals[status] or 0) + n end
    local failure = thread:get("first_error")
    if failure ~= "" then io.write("first non-201 answer: ", failure:sub(1, 300), "\n") end
  end
  local shown = {}
  for status, n in pairs(totals) do shown[#shown + 1] = status .. "=" .. n end
  table.sort(shown)
  io.write("signup statuses: ", table.concat(shown, " "), "\n")
end
