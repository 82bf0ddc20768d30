-- POST /api/ota-log: enrolled devices reporting the progress of an update
-- to 1.1.0, one status after another.
-- Arguments: DEVICES
local common = dofile(os.getenv("BENCH_LUA") .. "/common.lua")
setup = common.setup
done = common.done

local statuses = { "downloading", "verifying", "flashing", "rebooting" }
local next_device, counter

function init(args)
  next_device = common.walker(tonumber(args[1]))
  counter = 0
end

function request()
  counter = counter + 1
  local id, secret = common.device(next_device())
  local status = statuses[(counter % #statuses) + 1]
  local body = '{"device_id":"' .. id .. '","device_secret":"' .. secret .. '","status":"' .. status ..
               '","from_version":"1.0.0","to_version":"1.1.0"}'
  return wrk.format("POST", "/api/ota-log", { ["Content-Type"] = "application/json" }, body)
end
