-- One message whose queue id and body come from QUEUE_ID and BODY; any final answer is
-- accepted here, the test reads the decision from Sluice's log.
dofile(os.getenv("FIXTURES") .. "/common.lua")

local conn = connect_sluice()
send_message(conn, os.getenv("QUEUE_ID"), "decide", os.getenv("BODY") .. "\r\n")
check(mt.eom(conn), "eom")
mt.disconnect(conn)
