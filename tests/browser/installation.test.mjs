// A new box installed from a phone with JavaScript off: the home page leads to the installation
// form, a mistake is said and what was typed is kept, then the administrator signs in once the
// box has restarted with its choices.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { ARTIFACTS, PHONE, launchBrowser, startServer, watchProblems } from "./harness.mjs";

let server;
let browser;

before(async () => {
  server = await startServer({ demo: false });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test("without JavaScript, a phone installs the box and its administrator signs in", async () => {
  const context = await browser.newContext({ ...PHONE, javaScriptEnabled: false });
  const page = await context.newPage();
  const problems = watchProblems(page, [400], { javaScriptEnabled: false });
  await page.goto(`${server.base}/`);
  await page.getByRole("heading", { name: "Mise en service de Préau" }).waitFor();
  await page.getByLabel("Jeton d'installation").fill(server.installationToken.toLowerCase());
  await page.getByLabel("Numéro UAI").fill("0130042X");
  await page.getByLabel("Nom de l'établissement").fill("Collège des Tilleuls");
  await page.getByLabel("Identifiant").fill("direction");
  await page.getByLabel("Mot de passe", { exact: true }).fill("un mot de passe sûr");
  await page.getByLabel("Confirmation du mot de passe").fill("un mot de passe sûr");
  await page.getByLabel("Synchronisation").fill("la nuit");
  await page.getByLabel(/Sans HTTPS/).check();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the page scrolls sideways: ${width}px wide`);
  await page.screenshot({ path: join(ARTIFACTS, "installation-390.png"), fullPage: true });
  await page.getByRole("button", { name: "Mettre en service" }).click();
  await page.getByRole("alert").filter({ hasText: "« 02:30 »" }).waitFor();
  assert.equal(await page.getByLabel("Nom de l'établissement").inputValue(), "Collège des Tilleuls");
  await page.getByLabel("Mot de passe", { exact: true }).fill("un mot de passe sûr");
  await page.getByLabel("Confirmation du mot de passe").fill("un mot de passe sûr");
  await page.getByLabel("Synchronisation").fill("03:15");
  await page.getByRole("button", { name: "Mettre en service" }).click();
  await page.getByRole("heading", { name: "Préau est en service" }).waitFor();

  // The box restarts with its choices; the sign-in page comes back with them.
  const deadline = Date.now() + 60_000;
  for (;;) {
    const answer = await page.goto(`${server.base}/connexion`).catch(() => null);
    // The restarted server names the establishment of the installation.
    if (answer?.ok() && /Collège des Tilleuls/.test(await page.content())) break;
    assert.ok(Date.now() < deadline, "the sign-in page did not come back after the restart");
    await new Promise((r) => setTimeout(r, 250));
  }
  await page.getByLabel("Identifiant").fill("direction");
  await page.locator("#password").fill("un mot de passe sûr");
  await page.getByRole("button", { name: "Se connecter" }).click();
  await page.waitForURL(`${server.base}/`);
  assert.match(await page.content(), /Collège des Tilleuls/);
  await page.getByRole("heading", { name: "Bonjour Administrateur" }).waitFor();
  assert.deepEqual(problems.filter((p) => !/ERR_CONNECTION_REFUSED|net::/.test(p)), []);
  await context.close();
});
