"""A tiny real SMTP server on 127.0.0.1 that records every email it accepts.

The mail-outage test (tests/trust/test_mail_outage.py) and the mail-outage benchmark
(bench/faults_mail.py) both stop it to make the mail server go down and start it again on the
same port. It lives under tests/ because the benchmark only ever runs from a checkout, which
always has tests/ beside bench/ (bench already imports tests.faq.relevance).
"""

from __future__ import annotations

import socketserver
import threading
import time


class Mailbox:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.messages: list[tuple[float, list[str], bytes]] = []

    def add(self, recipients: list[str], data: bytes) -> None:
        with self.lock:
            self.messages.append((time.monotonic(), recipients, data))


class SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough of RFC 5321 for smtplib: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT."""

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        self.reply("220 bench-smtp ready")
        recipients: list[str] = []
        while line := self.rfile.readline():
            verb = line.decode("ascii", "replace").strip().split(" ", 1)[0].upper()
            if verb == "EHLO":
                self.wfile.write(b"250-bench-smtp\r\n250 8BITMIME\r\n")
            elif verb in {"HELO", "NOOP"}:
                self.reply("250 ok")
            elif verb == "MAIL":
                recipients = []
                self.reply("250 ok")
            elif verb == "RCPT":
                recipients.append(line.decode().split(":", 1)[1].strip().strip("<>").split(">")[0])
                self.reply("250 ok")
            elif verb == "DATA":
                self.reply("354 end with <CRLF>.<CRLF>")
                data = bytearray()
                while (chunk := self.rfile.readline()) and chunk != b".\r\n":
                    data += chunk[1:] if chunk.startswith(b"..") else chunk
                self.server.mailbox.add(recipients, bytes(data))
                self.reply("250 queued")
            elif verb == "RSET":
                recipients = []
                self.reply("250 ok")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("502 not implemented")


class SMTPServer(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True

    def __init__(self, port: int, mailbox: Mailbox):
        super().__init__(("127.0.0.1", port), SMTPHandler)
        self.mailbox = mailbox


def start_smtp(port: int, mailbox: Mailbox) -> SMTPServer:
    server = SMTPServer(port, mailbox)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def stop_smtp(server: SMTPServer) -> None:
    server.shutdown()
    server.server_close()
