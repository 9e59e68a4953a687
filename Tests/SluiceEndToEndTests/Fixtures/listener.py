"""Test listeners on loopback.

listener.py webhook PORT DIR   HTTP server: each POST body is written to DIR/N.json, 200 OK.
listener.py blackhole PORT     accepts TCP connections and never answers (a hung target).
Both stop by themselves after 300 seconds.
"""
import http.server
import os
import socket
import sys
import threading
import time

mode, port = sys.argv[1], int(sys.argv[2])
threading.Timer(300, lambda: os._exit(0)).start()

if mode == "webhook":
    directory = sys.argv[3]
    counter = [0]

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            counter[0] += 1
            path = os.path.join(directory, "%d.json" % counter[0])
            with open(path + ".tmp", "wb") as out:
                out.write(body)
            os.rename(path + ".tmp", path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args):
            pass

    http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
else:
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", port))
    server.listen(100)
    held = []
    while True:
        connection, _ = server.accept()
        held.append(connection)
