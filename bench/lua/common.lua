-- Shared by the benchmark scripts: numbers each wrk thread (so threads
-- walk disjoint device ids) and prints one JSON line of results at the end,
-- which bench/run.py parses.
local common = {}

local threads = {}
local next_id = 0

function common.setup(thread)
  thread:set("tid", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

-- A per-thread pseudo-random walk over device numbers 0..devices-1
-- (Park-Miller; exact in Lua's doubles), so requests hit the device table
-- the way a fleet does, not in index order.
function common.walker(devices)
  local state = 12345 + tid * 7919
  return function()
    state = (state * 48271) % 2147483647
    return state % devices
  end
end

-- Device `i`'s id and secret, as bench/run.py enrolls them.
function common.device(i)
  return "bench-" .. i, "bench-secret-" .. i .. "-0000"
end

function common.done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"bytes":%d,"p50_us":%d,"p99_us":%d,"max_us":%d,' ..
    '"errors_connect":%d,"errors_read":%d,"errors_write":%d,"errors_status":%d,"errors_timeout":%d}\n',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50), latency:percentile(99),
    latency.max, e.connect, e.read, e.write, e.status, e.timeout))
end

return common
