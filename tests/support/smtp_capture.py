"""A real SMTP server for the end-to-end tests of the e-mail relay (aiosmtpd, Debian's
python3-aiosmtpd): listens on 127.0.0.1 at the port given, accepts every message and prints
each as one JSON line ({"to", "subject", "body"}, headers decoded) on its standard output.
Runs until its standard input closes."""

import email
import email.policy
import json
import sys

from aiosmtpd.controller import Controller


class Capture:
    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        body = message.get_body(preferencelist=("plain",))
        print(
            json.dumps(
                {
                    "to": envelope.rcpt_tos,
                    "subject": str(message["subject"]),
                    "body": body.get_content() if body is not None else "",
                }
            ),
            flush=True,
        )
        return "250 Message accepted for delivery"


def main():
    controller = Controller(Capture(), hostname="127.0.0.1", port=int(sys.argv[1]))
    controller.start()
    print(json.dumps({"ready": True}), flush=True)
    try:
        sys.stdin.read()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
