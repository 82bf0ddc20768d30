-- POST /api/ota-log: enrolled devices reporting the progress of an update
-- to 1.1.0, one status after another.
-- Arguments: DEVICES OFFSET (devices OFFSET .. OFFSET+DEVICES-1 report, so
-- the devices other scenarios poll stay settled)
local common = dofile(os.getenv("BENCH_LUA") .. "/common.lua")
setup = common.setup
done = common.done

local statuses = { "downloading", "verifying", "flashing", "rebooting" }
local next_device, counter, offset

function init(args)
  next_device = common.walker(tonumber(args[1]))
  offset = tonumber(args[2] or "0")
  counter = 0
end

function request()
  counter = counter + 1
  local id, secret = common.device(offset + next_device())
  local status = statuses[(counter % #statuses) + 1]
  local body = '{"device_id":"' .. id .. '","device_secret":"' .. secret .. '","status":"' .. status ..
               '","from_version":"1.0.0","to_version":"1.1.0"}'
  return wrk.format("POST", "/api/ota-log", { ["Content-Type"] = "application/json" }, body)
end
