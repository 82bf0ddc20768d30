-- GET /api/check-update as ESP32s send it: every request a different
-- device with its own secret; a quarter of them already run 1.1.0, the rest
-- 1.0.0 (so some are offered an update and some are not).
-- Arguments: DEVICES [close] ("close" adds Connection: close, so every
-- request opens a new connection, as a polling ESP32 does).
local common = dofile(os.getenv("BENCH_LUA") .. "/common.lua")
setup = common.setup
done = common.done

local headers, next_device

function init(args)
  next_device = common.walker(tonumber(args[1]))
  headers = {}
  if args[2] == "close" then headers["Connection"] = "close" end
end

function request()
  local i = next_device()
  local id, secret = common.device(i)
  local version = (i % 4 == 0) and "1.1.0" or "1.0.0"
  return wrk.format("GET", "/api/check-update?device_id=" .. id .. "&version=" .. version ..
                    "&device_secret=" .. secret, headers)
end
