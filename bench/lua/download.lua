-- GET a firmware file: whole, or in Range chunks (how esp_https_ota's
-- partial download fetches).
-- Arguments: PATH SIZE [CHUNK] (CHUNK > 0: cycle through the file in chunks).
local common = dofile(os.getenv("BENCH_LUA") .. "/common.lua")
setup = common.setup
done = common.done

local path, size, chunk, offset

function init(args)
  path = args[1]
  size = tonumber(args[2])
  chunk = tonumber(args[3] or "0")
  offset = (tid * 7 * chunk) % math.max(size, 1)
end

function request()
  if chunk <= 0 then return wrk.format("GET", path) end
  local last = math.min(offset + chunk, size) - 1
  local range = "bytes=" .. offset .. "-" .. last
  offset = last + 1
  if offset >= size then offset = 0 end
  return wrk.format("GET", path, { ["Range"] = range })
end
