"""A third-party service signing people in through Préau's CAS server with python-cas, an
independent CAS client: what a school's Moodle or CDI catalogue does.

    cas_service.py serve PORT CAS_URL [CALLBACK_PORT CERT KEY]
                                           a web service on 127.0.0.1:PORT: /app/ signs in
                                           through CAS and shows who came with which
                                           attributes; it takes single logout requests and
                                           lists them at /slo. Its proxy callback, if asked
                                           for, listens on
                                           https://127.0.0.1:CALLBACK_PORT/pgt (CERT, KEY:
                                           PEM files) and keeps what it is given, which
                                           /pgt-of?iou=PGTIOU-… tells; /refuse answers 404
    cas_service.py validate CAS_URL SERVICE TICKET [p3|v2|v1|json] [renew]
                                           validates TICKET once with the client and prints
                                           {"user", "attributes"} (user null when refused)
    cas_service.py proxy CAS_URL SERVICE TICKET CALLBACK TARGET SERVICE_BASE
                                           as a portal: validates TICKET with the proxy
                                           callback CALLBACK, reads the proxy-granting ticket
                                           the callback took (SERVICE_BASE/pgt-of), asks a
                                           proxy ticket for TARGET and validates it as TARGET
                                           would at proxyValidate; prints what each step gave

The tests start it; it never reaches anything but the CAS server it is given.
"""

import html
import json
import ssl
import sys
import threading
import urllib.parse
import xml.etree.ElementTree as ElementTree
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


def proxy(cas_url, service, ticket, callback, target, service_base):
    portal = cas.CASClient(
        version=3,
        service_url=service,
        server_url=cas_url.rstrip("/") + "/",
        proxy_callback=callback,
    )
    user, attributes, pgtiou = portal.verify_ticket(ticket)
    out = {"user": user, "attributes": attributes, "pgtiou": pgtiou}
    if pgtiou is None:
        return out
    pgt = requests.get(service_base + "/pgt-of", params={"iou": pgtiou}).json()["pgt"]
    out["pgt"] = pgt
    proxy_ticket = client(cas_url, target).get_proxy_ticket(pgt)
    out["proxy_ticket"] = proxy_ticket
    # The target validates with the client's own parser; the chain of proxies is read from the
    # same answer, which python-cas does not return.
    answer = requests.get(
        cas_url.rstrip("/") + "/p3/proxyValidate",
        params={"service": target, "ticket": proxy_ticket},
    ).text
    proxied_user, proxied_attributes, _ = cas.CASClientV3.verify_response(answer)
    namespace = {"cas": "http://www.yale.edu/tp/cas"}
    out["proxied_user"] = proxied_user
    out["proxied_attributes"] = proxied_attributes
    out["proxies"] = [
        element.text for element in ElementTree.fromstring(answer).iterfind(".//cas:proxy", namespace)
    ]
    # A proxy ticket is no service ticket: serviceValidate refuses it.
    another = client(cas_url, target).get_proxy_ticket(pgt)
    out["service_validate_of_a_proxy_ticket"] = client(cas_url, target).verify_ticket(another)[0]
    return out


class Callback(BaseHTTPRequestHandler):
    """The portal's proxy callback, over HTTPS: keeps pgtIou → pgtId."""

    granted = {}
    lock = threading.Lock()

    def log_message(self, *args):
        pass

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query)
        status = 404 if url.path == "/refuse" else 200
        if status == 200 and "pgtIou" in query and "pgtId" in query:
            with self.lock:
                self.granted[query["pgtIou"][0]] = query["pgtId"][0]
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()


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
        if url.path == "/pgt-of":
            with Callback.lock:
                pgt = Callback.granted.get(query.get("iou", [""])[0])
            return self.reply(200, json.dumps({"pgt": pgt}), "application/json")
        if not url.path.startswith(("/app/", "/staff/", "/portal/")):
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


def serve(port, cas_url, callback_port=None, cert=None, key=None):
    Service.cas_url = cas_url
    Service.base = "http://127.0.0.1:%d" % port
    server = ThreadingHTTPServer(("127.0.0.1", port), Service)
    if callback_port is not None:
        callback = ThreadingHTTPServer(("127.0.0.1", int(callback_port)), Callback)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        callback.socket = context.wrap_socket(callback.socket, server_side=True)
        threading.Thread(target=callback.serve_forever, daemon=True).start()
    print("ready", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve(int(sys.argv[2]), sys.argv[3], *sys.argv[4:7])
    elif sys.argv[1] == "proxy":
        print(json.dumps(proxy(*sys.argv[2:8])))
    else:
        how = sys.argv[5] if len(sys.argv) > 5 else "p3"
        renew = len(sys.argv) > 6 and sys.argv[6] == "renew"
        print(json.dumps(validate(sys.argv[2], sys.argv[3], sys.argv[4], how, renew)))
