"""A third-party service signing people in through Préau's CAS server with python-cas, an
independent CAS client: what a school's Moodle or CDI catalogue does.

    cas_service.py serve PORT CAS_URL      a web service on 127.0.0.1:PORT: /app/ signs in
                                           through CAS and shows who came with which
                                           attributes; it takes single logout requests and
                                           lists them at /slo
    cas_service.py validate CAS_URL SERVICE TICKET [p3|v2|v1|json] [renew]
                                           validates TICKET once with the client and prints
                                           {"user", "attributes"} (user null when refused)

The tests start it; it never reaches anything but the CAS server it is given.
"""

import html
import json
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import cas
import requests


def client(cas_url, service, version="p3", renew=False):
    version = {"p3": 3, "v2": 2, "v1": 1}[version]
    return cas.CASClient(
        version=version, service_url=service, server_url=cas_url.rstrip("/") + "/", renew=renew
    )


def validate(cas_url, service, ticket, how="p3", renew=False):
    if how == "json":
        # python-cas has no JSON reader: the answer is read with the standard library's.
        params = {"service": service, "ticket": ticket, "format": "JSON"}
        if renew:
            params["renew"] = "true"
        answer = requests.get(cas_url.rstrip("/") + "/p3/serviceValidate", params=params).json()
        success = answer["serviceResponse"].get("authenticationSuccess")
        if success is None:
            failure = answer["serviceResponse"]["authenticationFailure"]
            return {"user": None, "attributes": None, "code": failure["code"]}
        return {"user": success["user"], "attributes": success["attributes"]}
    the_client = client(cas_url, service, how, renew)
    if renew:
        # The client sends `renew` only in its login address; validation is asked the same way.
        the_client.session.params = {"renew": "true"}
    user, attributes, _ = the_client.verify_ticket(ticket)
    return {"user": user, "attributes": attributes}


class Service(BaseHTTPRequestHandler):
    cas_url = ""
    base = ""
    logouts = []
    lock = threading.Lock()

    def log_message(self, *args):
        pass

    def reply(self, status, body, content_type="text/html; charset=utf-8", location=None):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        if location:
            self.send_header("Location", location)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query)
        if url.path == "/favicon.ico":
            return self.reply(204, "", "image/x-icon")
        if url.path == "/slo":
            with self.lock:
                return self.reply(200, json.dumps(self.logouts), "application/json")
        if not url.path.startswith(("/app/", "/staff/")):
            return self.reply(404, "introuvable")
        service = self.base + url.path
        the_client = client(self.cas_url, service)
        ticket = query.get("ticket", [None])[0]
        if ticket is None:
            return self.reply(302, "", location=the_client.get_login_url())
        user, attributes, _ = the_client.verify_ticket(ticket)
        if user is None:
            return self.reply(403, "<h1>Refusé</h1>")
        page = (
            "<!doctype html><html lang='fr'><title>Service</title><h1>Connecté : "
            + html.escape(user)
            + "</h1><pre id='attributes'>"
            + html.escape(json.dumps(attributes, ensure_ascii=False, sort_keys=True))
            + "</pre><p id='ticket'>"
            + html.escape(ticket)
            + "</p></html>"
        )
        return self.reply(200, page)

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        form = urllib.parse.parse_qs(self.rfile.read(length).decode())
        message = form.get("logoutRequest", [""])[0]
        indexes = cas.CASClientV3.get_saml_slos(message) or []
        with self.lock:
            for index in indexes:
                self.logouts.append({"path": self.path, "session_index": index.text})
        return self.reply(200, "ok", "text/plain")


def serve(port, cas_url):
    Service.cas_url = cas_url
    Service.base = "http://127.0.0.1:%d" % port
    server = ThreadingHTTPServer(("127.0.0.1", port), Service)
    print("ready", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve(int(sys.argv[2]), sys.argv[3])
    else:
        how = sys.argv[5] if len(sys.argv) > 5 else "p3"
        renew = len(sys.argv) > 6 and sys.argv[6] == "renew"
        print(json.dumps(validate(sys.argv[2], sys.argv[3], sys.argv[4], how, renew)))
