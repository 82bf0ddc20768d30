-- Polls every enrolled device once, in id order (thread t takes ids t,
-- t+threads, ...), then wraps: run it long enough to cover the fleet, so
-- every device is cached and RSS shows the whole fleet's memory.
-- Arguments: DEVICES THREADS START (the first id, for a run that continues
-- where the previous one stopped)
local common = dofile(os.getenv("BENCH_LUA") .. "/common.lua")
setup = common.setup
done = common.done

local devices, threads, next_id

function init(args)
  devices = tonumber(args[1])
  threads = tonumber(args[2])
  next_id = tonumber(args[3]) + tid
end

function request()
  local i = next_id % devices
  next_id = next_id + threads
  local id, secret = common.device(i)
  return wrk.format("GET", "/api/check-update?device_id=" .. id .. "&version=1.0.0&device_secret=" .. secret)
end
