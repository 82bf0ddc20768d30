-- POST /api/register: every request a new device.
-- Arguments: PK_KEY RUN (RUN keeps ids unique across repeated runs).
local common = dofile(os.getenv("BENCH_LUA") .. "/common.lua")
setup = common.setup
done = common.done

local pk_key, run, counter

function init(args)
  pk_key = args[1]
  run = args[2]
  counter = 0
end

function request()
  counter = counter + 1
  local id = "reg-" .. run .. "-" .. tid .. "-" .. counter
  local body = '{"device_id":"' .. id .. '","device_secret":"' .. id .. '-secret-0000","pk_key":"' .. pk_key ..
               '","firmware_ver":"1.0.0"}'
  return wrk.format("POST", "/api/register", { ["Content-Type"] = "application/json" }, body)
end
