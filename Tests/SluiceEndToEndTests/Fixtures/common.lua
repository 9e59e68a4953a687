-- Shared steps for the miltertest scripts: connect to the Sluice socket named in
-- SLUICE_SOCKET and walk a message through every milter stage, failing loudly.

function connect_sluice()
    local socket = os.getenv("SLUICE_SOCKET")
    local conn = mt.connect(socket, 40, 0.25)
    if conn == nil then
        error("cannot connect to " .. tostring(socket))
    end
    check(mt.conninfo(conn, "client.example", "192.0.2.7"), "conninfo")
    check(mt.helo(conn, "client.example"), "helo")
    return conn
end

function check(result, step)
    if result ~= nil then
        error(step .. " failed: " .. tostring(result))
    end
end

function expect_reply(conn, wanted, step)
    local reply = mt.getreply(conn)
    if reply ~= wanted then
        error(step .. ": got reply " .. tostring(reply) .. ", want " .. tostring(wanted))
    end
end

-- Sends one message up to (not including) end of message.
function send_message(conn, queue_id, subject, body)
    mt.macro(conn, SMFIC_MAIL, "i", queue_id)
    check(mt.mailfrom(conn, "<alice@example.com>"), "mailfrom")
    check(mt.rcptto(conn, "<bob@example.net>"), "rcptto")
    check(mt.header(conn, "From", "Alice <alice@example.com>"), "header From")
    check(mt.header(conn, "Subject", subject), "header Subject")
    check(mt.eoh(conn), "eoh")
    check(mt.bodystring(conn, body), "body")
end
