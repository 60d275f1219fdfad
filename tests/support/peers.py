#!/usr/bin/env python3
"""Peers for the TLS fetch tests: hostile servers and STARTTLS servers.

usage: peers.py MODE PORT [CERT KEY]
Prints READY once listening on 127.0.0.1:PORT, serves until killed. The STARTTLS modes speak
the plaintext preamble, then hand the socket to OpenSSL (Python's ssl module) with CERT/KEY.
"""
import socket
import ssl
import sys
import threading
import time

mode, port = sys.argv[1], int(sys.argv[2])
cert, key = (sys.argv[3], sys.argv[4]) if len(sys.argv) > 4 else (None, None)


def read_line(conn):
    data = b""
    while not data.endswith(b"\n") and len(data) < 4096:
        chunk = conn.recv(1)
        if not chunk:
            break
        data += chunk
    return data


def tls(conn):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    wrapped = context.wrap_socket(conn, server_side=True)
    wrapped.recv(1)  # until the client goes away


def serve(conn):
    try:
        if mode == "blackhole":  # accepts, never answers
            time.sleep(3600)
        elif mode == "garbage":
            read_line_or_hello = conn.recv(512)
            conn.sendall(b"\x16\x03\x01\xff\xff" + bytes(range(256)) * 8)
            time.sleep(1)
        elif mode == "plaintext":
            conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
            time.sleep(1)
        elif mode == "close":  # reads the ClientHello, then closes
            conn.recv(512)
        elif mode == "drip":  # one byte a second
            for byte in b"\x16\x03\x03\x00\x40" + b"\x00" * 64:
                conn.sendall(bytes([byte]))
                time.sleep(1)
        elif mode == "smtp":
            conn.sendall(b"220 mail.test ESMTP ready\r\n")
            read_line(conn)
            conn.sendall(b"250-mail.test\r\n250-PIPELINING\r\n250 STARTTLS\r\n")
            read_line(conn)
            conn.sendall(b"220 2.0.0 Ready to start TLS\r\n")
            tls(conn)
        elif mode == "smtp-liar":  # advertises STARTTLS, then refuses it
            conn.sendall(b"220 mail.test ESMTP\r\n")
            read_line(conn)
            conn.sendall(b"250 STARTTLS\r\n")
            read_line(conn)
            conn.sendall(b"454 4.7.0 TLS not available\r\n")
            time.sleep(1)
        elif mode == "imap":
            conn.sendall(b"* OK [CAPABILITY IMAP4rev1 STARTTLS] ready\r\n")
            line = read_line(conn)
            tag = line.split(b" ")[0]
            conn.sendall(tag + b" OK Begin TLS negotiation now\r\n")
            tls(conn)
        elif mode == "proxy":  # HTTP CONNECT to 127.0.0.1 only, then relays bytes
            request = b""
            while b"\r\n\r\n" not in request and len(request) < 8192:
                chunk = conn.recv(1024)
                if not chunk:
                    return
                request += chunk
            target = request.split(b" ")[1].decode()
            port_text = target.rsplit(":", 1)[1]
            upstream = socket.create_connection(("127.0.0.1", int(port_text)), timeout=10)
            conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")

            def pump(source, sink):
                try:
                    while True:
                        data = source.recv(65536)
                        if not data:
                            break
                        sink.sendall(data)
                except OSError:
                    pass
                finally:
                    try:
                        sink.shutdown(socket.SHUT_WR)
                    except OSError:
                        pass

            threading.Thread(target=pump, args=(upstream, conn), daemon=True).start()
            pump(conn, upstream)
            time.sleep(0.5)
        elif mode == "forwarding-proxy":  # CONNECT and absolute-form HTTP, to 127.0.0.1 only; logs each request
            request = b""
            while b"\r\n\r\n" not in request and len(request) < 65536:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                request += chunk
            head, _, rest = request.partition(b"\r\n\r\n")
            request_line = head.split(b"\r\n")[0].decode("latin-1")
            with open(sys.argv[3], "a") as log:
                log.write(request_line + "\n")
            method, target = request_line.split(" ")[0], request_line.split(" ")[1]
            if method == "CONNECT":
                upstream = socket.create_connection(("127.0.0.1", int(target.rsplit(":", 1)[1])), timeout=10)
                conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
                if rest:
                    upstream.sendall(rest)
            else:
                if not target.startswith("http://127.0.0.1:"):
                    conn.sendall(b"HTTP/1.0 403 Forbidden\r\n\r\n")
                    return
                hostport, _, path = target[len("http://"):].partition("/")
                upstream = socket.create_connection(("127.0.0.1", int(hostport.rsplit(":", 1)[1])), timeout=10)
                length = 0
                for line in head.split(b"\r\n")[1:]:
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":")[1])
                while len(rest) < length:
                    chunk = conn.recv(65536)
                    if not chunk:
                        break
                    rest += chunk
                # Origin-form towards the server, as a real proxy sends it.
                lines = [f"{method} /{path} HTTP/1.0".encode()] + head.split(b"\r\n")[1:]
                upstream.sendall(b"\r\n".join(lines) + b"\r\n\r\n" + rest)

            def relay(source, sink):
                try:
                    while True:
                        data = source.recv(65536)
                        if not data:
                            break
                        sink.sendall(data)
                except OSError:
                    pass
                finally:
                    try:
                        sink.shutdown(socket.SHUT_WR)
                    except OSError:
                        pass

            threading.Thread(target=relay, args=(upstream, conn), daemon=True).start()
            relay(conn, upstream)
            time.sleep(0.5)
        elif mode == "proxy-refuses":
            conn.recv(4096)
            conn.sendall(b"HTTP/1.1 403 Forbidden\r\n\r\n")
            time.sleep(0.5)
        elif mode == "huge-record":  # a handshake record far past TLS's 16 KiB + 2 KiB limit
            conn.recv(4096)
            conn.sendall(b"\x16\x03\x03\xff\xff" + b"\x02" + b"\x00" * 65534)
            time.sleep(1)
        elif mode == "smtp-plaintext-after-ok":  # agrees to STARTTLS, then keeps talking SMTP
            conn.sendall(b"220 mail.test ESMTP\r\n")
            read_line(conn)
            conn.sendall(b"250 STARTTLS\r\n")
            read_line(conn)
            conn.sendall(b"220 Go ahead\r\n")
            conn.sendall(b"250 mail.test still plaintext\r\n" * 20)
            time.sleep(1)
        elif mode == "smtp-endless":  # a greeting that never ends, as fast as it can
            line = b"220-" + b"x" * 1000 + b"\r\n"
            while True:
                conn.sendall(line * 64)
        elif mode == "smtp-no-newline":  # a greeting line without an end
            while True:
                conn.sendall(b"220" + b"x" * 65536)
        elif mode == "postgres-liar":  # answers the SSLRequest with "N" (no TLS)
            conn.recv(8)
            conn.sendall(b"N")
            time.sleep(1)
        elif mode == "postgres":
            request = conn.recv(8)
            if request == bytes.fromhex("0000000804d2162f"):
                conn.sendall(b"S")
                tls(conn)
    except (OSError, ssl.SSLError):
        pass
    finally:
        conn.close()


server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", port))
server.listen(64)
print("READY", flush=True)
while True:
    connection, _ = server.accept()
    threading.Thread(target=serve, args=(connection,), daemon=True).start()
