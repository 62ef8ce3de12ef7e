// Over the box's own TLS, browsers negotiate HTTP/2, where requests carry `:authority` and no
// `Host`: signing in and posting a form must still pass the same-origin check, and the session
// cookie must be the `__Host-` one.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launchBrowser, signIn, startServer, watchProblems } from "./harness.mjs";

let server;
let browser;
before(async () => {
  server = await startServer({ tls: true });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test("over HTTPS and HTTP/2 a person signs in, posts a form and gets a __Host- cookie", async () => {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  const page = await context.newPage();
  const problems = watchProblems(page);
  await signIn(page, server.base, "eleve.demo");
  assert.equal(new URL(page.url()).pathname, "/");
  const protocol = await page.evaluate(() => performance.getEntriesByType("navigation")[0].nextHopProtocol);
  assert.equal(protocol, "h2", "HTTP/2 negotiated");
  const cookies = await context.cookies();
  const session = cookies.find((cookie) => cookie.name.includes("preau_session"));
  assert.equal(session?.name, "__Host-preau_session");
  assert.equal(session?.secure, true);
  assert.equal(session?.httpOnly, true);

  // A form with its CSRF token, posted over HTTP/2: signing out, from the folded menu.
  await page.locator("details.menu summary").click();
  await Promise.all([
    page.waitForURL((url) => url.pathname === "/connexion"),
    page.getByRole("button", { name: "Se déconnecter" }).click(),
  ]);
  assert.equal(new URL(page.url()).searchParams.get("au-revoir"), "1");
  assert.equal((await context.cookies()).filter((c) => c.name.includes("preau_session")).length, 0);
  assert.deepEqual(problems, []);
  await context.close();
});
