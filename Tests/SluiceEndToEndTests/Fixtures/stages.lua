-- Every stage of a clean message, then a message with a blocked keyword on the same
-- connection: the first passes, the second gets a custom (5xx) reply.
dofile(os.getenv("FIXTURES") .. "/common.lua")

local conn = connect_sluice()
send_message(conn, "CLEAN1", "lunch", "Noon at the usual place?\r\n")
check(mt.eom(conn), "eom")
expect_reply(conn, SMFIR_CONTINUE, "clean message")

local filler = string.rep("An ordinary line of the quarterly report.\r\n", 500)
send_message(conn, "DIRTY1", "plans", filler .. "Codename: Project Nightingale\r\n")
check(mt.eom(conn), "eom")
expect_reply(conn, SMFIR_REPLYCODE, "message with a blocked keyword")
mt.disconnect(conn)
