-- wrk script of the harness: one session cookie per thread, GET or POST with the CSRF token, a request cap per
-- thread, and a machine-readable summary (latency percentiles over every request, in microseconds).
-- Environment: BENCH_METHOD, BENCH_PATH, BENCH_BODY, BENCH_SESSIONS (session keys separated by "|", one per thread,
-- reused round robin), BENCH_CSRF, BENCH_LIMIT (requests per thread, 0 = only the duration bounds the run),
-- BENCH_EXPECT (the status every answer must have, else it counts as an error), BENCH_CAPTURE=1 to record the case ids of the Location headers (take-next).

local threads = {}
local counter = 1

function setup(thread)
   thread:set("index", counter)
   table.insert(threads, thread)
   counter = counter + 1
end

local sessions = {}
for key in string.gmatch(os.getenv("BENCH_SESSIONS") or "", "[^|]+") do
   table.insert(sessions, key)
end

function init(args)
   local method = os.getenv("BENCH_METHOD") or "GET"
   local path = os.getenv("BENCH_PATH") or "/"
   local body = os.getenv("BENCH_BODY")
   local csrf = os.getenv("BENCH_CSRF") or ""
   local headers = {}
   local cookie = "csrftoken=" .. csrf
   if #sessions > 0 then
      cookie = cookie .. "; sessionid=" .. sessions[((index - 1) % #sessions) + 1]
   end
   headers["Cookie"] = cookie
   if method == "POST" then
      headers["X-CSRFToken"] = csrf
      headers["Content-Type"] = "application/x-www-form-urlencoded"
   end
   if body == "" then
      body = nil
   end
   prepared = wrk.format(method, path, headers, body)
   limit = tonumber(os.getenv("BENCH_LIMIT") or "0")
   expect = tonumber(os.getenv("BENCH_EXPECT") or "200")
   capture = os.getenv("BENCH_CAPTURE") == "1"
   done_count = 0
   bad = 0
   taken = ""
end

function request()
   return prepared
end

function response(status, headers, body)
   done_count = done_count + 1
   if status ~= expect then
      bad = bad + 1
   end
   if capture then
      local location = headers["Location"] or headers["location"] or ""
      local id = string.match(location, "/dossiers/(%d+)/")
      taken = taken .. (id or "none") .. ","
   end
   if limit > 0 and done_count >= limit then
      wrk.thread:stop()
   end
end

function done(summary, latency, requests)
   local bad_total = 0
   for _, thread in ipairs(threads) do
      bad_total = bad_total + (thread:get("bad") or 0)
      if os.getenv("BENCH_CAPTURE") == "1" then
         io.write("TAKEN " .. (thread:get("taken") or "") .. "\n")
      end
   end
   io.write(string.format(
      "RESULT requests=%d p50=%d p95=%d p99=%d max=%d mean=%.1f errors=%d bad_status=%d duration_us=%d\n",
      summary.requests, latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
      latency.mean, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
         + summary.errors.status, bad_total, summary.duration))
end
