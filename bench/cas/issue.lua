-- Phase 1 of bench/cas.sh: asks /cas/login with the session cookie and keeps the ticket of each
-- answer, one file per wrk thread.
local counter = 0
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end

function init(args)
  out = io.open(args[1] .. "/tickets-" .. id, "w")
end

function response(status, headers, body)
  local location = headers["Location"] or headers["location"]
  if location then
    local ticket = location:match("ticket=(ST%-[%w_%-]+)")
    if ticket then
      out:write(ticket, "\n")
      out:flush()
    end
  end
end
