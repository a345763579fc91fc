-- wrk script of the load run: binary-mode CloudEvents with 1 KB of JSON data over keep-alive connections.
-- ce-time is stamped when the request is built, so the sink measures ingest-to-receipt latency; with
-- SLUICE_DELAY_MS set, each connection waits that long between requests, which offers a fixed rate.
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_usec; } sluice_timeval;
  int gettimeofday(sluice_timeval *tv, void *tz);
]]
local now = ffi.new("sluice_timeval")

local threads = {}
local thread_number = 0
local delay_ms = tonumber(os.getenv("SLUICE_DELAY_MS") or "0")

-- exactly 1024 bytes of data, as the raw Kafka baseline sends
local head = '{"amount":150,"orderId":"A-1","pad":"'
local tail = '"}'
local body = head .. string.rep("x", 1024 - #head - #tail) .. tail

function setup(thread)
  thread_number = thread_number + 1
  thread:set("thread_id", thread_number)
  table.insert(threads, thread)
end

local sent = 0

function request()
  sent = sent + 1
  ffi.C.gettimeofday(now, nil)
  local seconds = tonumber(now.tv_sec)
  local time = os.date("!%Y-%m-%dT%H:%M:%S", seconds) .. string.format(".%06dZ", tonumber(now.tv_usec))
  return wrk.format("POST", nil, {
    ["content-type"] = "application/json",
    ["ce-specversion"] = "1.0",
    ["ce-id"] = thread_id .. "-" .. sent,
    ["ce-source"] = "/bench",
    ["ce-type"] = "bench.order",
    ["ce-time"] = time,
  }, body)
end

if delay_ms > 0 then
  function delay()
    return delay_ms
  end
end

function done(summary, latency, requests)
  io.write(string.format("RESULT requests=%d non2xx=%d errors=%d duration_us=%d p50_us=%d p99_us=%d max_us=%d\n",
    summary.requests, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.duration, latency:percentile(50), latency:percentile(99), latency.max))
end
