-- GET /api/config for enrolled devices, optionally revalidating with
-- If-None-Match (the answer is then 304 without a body).
-- Arguments: DEVICES [ETAG]
local common = dofile(os.getenv("BENCH_LUA") .. "/common.lua")
setup = common.setup
done = common.done

local next_device, headers

function init(args)
  next_device = common.walker(tonumber(args[1]))
  headers = {}
  if args[2] and args[2] ~= "" then headers["If-None-Match"] = args[2] end
end

function request()
  local id, secret = common.device(next_device())
  return wrk.format("GET", "/api/config?device_id=" .. id .. "&device_secret=" .. secret, headers)
end
