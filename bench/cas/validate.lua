-- Phase 2 of bench/cas.sh: each request validates the next unused ticket of this thread's file
-- with /cas/p3/serviceValidate; counts successes, failures and tickets run short.
local counter = 0
local threads = {}
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  tickets = {}
  for line in io.lines(args[1] .. "/tickets-" .. id) do
    tickets[#tickets + 1] = line
  end
  service = args[2]
  next_ticket, succeeded, failed, short = 1, 0, 0, 0
end

function request()
  local ticket = tickets[next_ticket]
  if ticket == nil then
    short = short + 1
    ticket = "ST-none"
  end
  next_ticket = next_ticket + 1
  return wrk.format("GET", "/cas/p3/serviceValidate?service=" .. service .. "&ticket=" .. ticket)
end

function response(status, headers, body)
  if body:find("authenticationSuccess", 1, true) then
    succeeded = succeeded + 1
  else
    failed = failed + 1
  end
end

function done(summary, latency, requests)
  local ok, ko, missing = 0, 0, 0
  for _, thread in ipairs(threads) do
    ok = ok + thread:get("succeeded")
    ko = ko + thread:get("failed")
    missing = missing + thread:get("short")
  end
  io.write(string.format("validations: %d succeeded, %d refused, %d without a ticket left\n", ok, ko, missing))
end
