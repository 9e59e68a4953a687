-- With add_header = yes, a passing message gets an X-Sluice header naming the action.
dofile(os.getenv("FIXTURES") .. "/common.lua")

local conn = connect_sluice()
send_message(conn, "HDR1", "hello", "Plain text.\r\n")
check(mt.eom(conn), "eom")
expect_reply(conn, SMFIR_CONTINUE, "clean message")
if not mt.eom_check(conn, MT_HDRADD, "X-Sluice") then
    error("X-Sluice header was not added")
end
local value = mt.getheader(conn, "X-Sluice", 0)
if value == nil or not string.find(value, "action=accept ref=", 1, true) then
    error("unexpected X-Sluice value: " .. tostring(value))
end
mt.disconnect(conn)
