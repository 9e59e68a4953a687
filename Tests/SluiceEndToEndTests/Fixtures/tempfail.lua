-- A message Sluice cannot spool gets the on_error answer: a custom 4xx reply, never a
-- silent accept.
dofile(os.getenv("FIXTURES") .. "/common.lua")

local conn = connect_sluice()
send_message(conn, "FAIL1", "big", string.rep("y", 5000) .. "\r\n")
check(mt.eom(conn), "eom")
expect_reply(conn, SMFIR_REPLYCODE, "message that could not be spooled")
mt.disconnect(conn)
