-- wrk script for bench/pages.py: spread requests over many paths and report a JSON summary.
--
-- The paths are read from the file named by WRK_PATHS (one path per line). Each wrk
-- thread starts at a different place in the list and walks it in order, so every path
-- is requested about equally often and no single page stays hot in a cache.
-- done() prints one line of JSON that bench/pages.py parses.

local paths = {}
local file = os.getenv("WRK_PATHS")
if file then
  for line in io.lines(file) do
    if line ~= "" then
      paths[#paths + 1] = line
    end
  end
end

local thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("thread_id", thread_count)
end

local position = nil

function request()
  if #paths == 0 then
    return wrk.format("GET", wrk.path)
  end
  if position == nil then
    -- Spread the threads' starting points over the list.
    position = ((thread_id or 1) - 1) * 7919 % #paths
  end
  position = position % #paths + 1
  return wrk.format("GET", paths[position])
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, "status_errors": %d, "socket_errors": %d, ' ..
    '"p50_us": %d, "p90_us": %d, "p99_us": %d, "mean_us": %.1f, "max_us": %d, "paths": %d}\n',
    summary.requests, summary.duration, summary.bytes, errors.status,
    errors.connect + errors.read + errors.write + errors.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.mean, latency.max,
    #paths
  ))
end
