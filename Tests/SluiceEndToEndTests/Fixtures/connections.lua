-- Twenty connections open at once, each carrying messages interleaved with the others.
dofile(os.getenv("FIXTURES") .. "/common.lua")

local conns = {}
for i = 1, 20 do
    conns[i] = connect_sluice()
end
for round = 1, 3 do
    for i = 1, 20 do
        local dirty = (i + round) % 5 == 0
        local body = dirty and "see Project Nightingale\r\n" or "fine\r\n"
        send_message(conns[i], "Q" .. round .. "N" .. i, "round " .. round, body)
        check(mt.eom(conns[i]), "eom")
        expect_reply(conns[i], dirty and SMFIR_REPLYCODE or SMFIR_CONTINUE,
            "connection " .. i .. " round " .. round)
    end
end
for i = 1, 20 do
    mt.disconnect(conns[i])
end
