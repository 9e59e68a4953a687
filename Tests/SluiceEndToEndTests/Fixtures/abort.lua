-- A message aborted in the middle of its body, a disconnect in the middle of another,
-- then a fresh connection: the milter keeps working and judges the next message alone.
dofile(os.getenv("FIXTURES") .. "/common.lua")

local conn = connect_sluice()
send_message(conn, "ABORT1", "half", "Project Nightingale, part one\r\n")
check(mt.abort(conn), "abort")
send_message(conn, "AFTER1", "whole", "Nothing to see here.\r\n")
check(mt.eom(conn), "eom")
expect_reply(conn, SMFIR_CONTINUE, "message after an abort")

send_message(conn, "CUT1", "cut", string.rep("x", 100000))
mt.disconnect(conn, false)

local again = connect_sluice()
send_message(again, "NEXT1", "next", "Still clean.\r\n")
check(mt.eom(again), "eom")
expect_reply(again, SMFIR_CONTINUE, "message on a new connection")
mt.disconnect(again)
