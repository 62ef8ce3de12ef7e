// Single sign-on through Préau's CAS server, as a person meets it on a phone without
// JavaScript: a third-party service (tests/support/cas_service.py, on python-cas, an
// independent CAS client) sends the browser to /cas/login, Préau's sign-in page comes, and the
// browser goes back to the service, which validates the ticket and shows who came with which
// attributes. The second visit needs no password; a pupil gets a French refusal for a
// staff-only service; the administrator registers a service and gives it a logo.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { DEMO_PASSWORD, PHONE, freePort, launchBrowser, startServer, watchProblems } from "./harness.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const setup = {};

before(async () => {
  const port = await freePort();
  setup.service = `http://127.0.0.1:${port}`;
  setup.dir = mkdtempSync(join(tmpdir(), "preau-cas-"));
  const config = join(setup.dir, "preau.toml");
  writeFileSync(
    config,
    `[[cas.services]]
name = "Moodle du collège"
url = "${setup.service}/app/"
attributes = ["display_name", "profile", "classes"]

[[cas.services]]
name = "Vie scolaire"
url = "${setup.service}/staff/"
profiles = ["ENS", "EVS", "DIR"]
`,
  );
  setup.server = await startServer({ env: { PREAU_CONFIG: config } });
  setup.thirdParty = spawn(
    "/usr/bin/python3",
    [join(here, "..", "support", "cas_service.py"), "serve", String(port), `${setup.server.base}/cas`],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  await new Promise((resolve, reject) => {
    setup.thirdParty.stdout.once("data", (line) =>
      String(line).startsWith("ready") ? resolve() : reject(new Error(String(line))),
    );
    setup.thirdParty.once("exit", (code) => reject(new Error(`python-cas service exited (${code})`)));
  });
  setup.browser = await launchBrowser();
});

after(async () => {
  await setup.browser?.close();
  setup.thirdParty?.kill();
  await setup.server?.stop();
  rmSync(setup.dir, { recursive: true, force: true });
});

test("a pupil opens the school's Moodle through Préau's sign-in page, then again without a password", async () => {
  const context = await setup.browser.newContext({ ...PHONE, javaScriptEnabled: false });
  const page = await context.newPage();
  // 403: the service's own refusal of a used ticket, at the end.
  const problems = watchProblems(page, [403], { javaScriptEnabled: false });
  await page.goto(`${setup.service}/app/cours`);
  assert.equal(new URL(page.url()).origin, setup.server.base, "sent to Préau");
  assert.equal(new URL(page.url()).pathname, "/connexion");
  await page.getByLabel("Identifiant").fill("eleve.demo");
  await page.locator("#password").fill(DEMO_PASSWORD);
  await Promise.all([
    page.waitForURL((url) => url.origin === setup.service),
    page.getByRole("button", { name: "Se connecter" }).click(),
  ]);
  assert.match(page.url(), /\/app\/cours\?ticket=ST-/);
  assert.equal(await page.locator("h1").innerText(), "Connecté : eleve.demo");
  const attributes = JSON.parse(await page.locator("#attributes").innerText());
  assert.equal(attributes.displayName, "Léa Fontaine");
  assert.equal(attributes.profile, "National_ELV");
  assert.equal(attributes.classes, "4B");
  assert.equal(attributes.mail, undefined, "not chosen for this service");
  const first = await page.locator("#ticket").innerText();

  // Single sign-on: the second visit goes through without the form, with a new ticket.
  await page.goto(`${setup.service}/app/`);
  assert.equal(await page.locator("h1").innerText(), "Connecté : eleve.demo");
  assert.notEqual(await page.locator("#ticket").innerText(), first);

  // Reloading the address with the used ticket: the service's validation is refused.
  await page.goto(`${setup.service}/app/cours?ticket=${first}`);
  assert.equal(await page.locator("h1").innerText(), "Refusé");
  assert.deepEqual(problems, []);
  await context.close();
});

test("a pupil sent to a staff-only service gets a French page and no ticket", async () => {
  const context = await setup.browser.newContext({ ...PHONE, javaScriptEnabled: false });
  const page = await context.newPage();
  const problems = watchProblems(page, [403], { javaScriptEnabled: false });
  await page.goto(`${setup.server.base}/connexion`);
  await page.getByLabel("Identifiant").fill("eleve.demo");
  await page.locator("#password").fill(DEMO_PASSWORD);
  await Promise.all([page.waitForURL((url) => url.pathname === "/"), page.getByRole("button", { name: "Se connecter" }).click()]);
  const response = await page.goto(`${setup.service}/staff/`);
  assert.equal(response.status(), 403);
  assert.equal(new URL(page.url()).origin, setup.server.base, "stays on Préau");
  const text = await page.locator("main").innerText();
  assert.ok(text.includes("Le service «\u00a0Vie scolaire\u00a0» n'est pas ouvert à votre profil."), text);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `no sideways scrolling on a phone (${width}px)`);
  assert.deepEqual(problems, []);
  await context.close();
});

test("renew: the service asks for the password again, and the ticket says it was typed", async () => {
  const context = await setup.browser.newContext({ ...PHONE, javaScriptEnabled: false });
  const page = await context.newPage();
  const problems = watchProblems(page, [], { javaScriptEnabled: false });
  await page.goto(`${setup.server.base}/connexion`);
  await page.getByLabel("Identifiant").fill("enseignant.demo");
  await page.locator("#password").fill(DEMO_PASSWORD);
  await Promise.all([page.waitForURL((url) => url.pathname === "/"), page.getByRole("button", { name: "Se connecter" }).click()]);
  const service = encodeURIComponent(`${setup.service}/app/`);
  await page.goto(`${setup.server.base}/cas/login?service=${service}&renew=true`);
  assert.equal(new URL(page.url()).pathname, "/connexion", "the form, despite the session");
  assert.ok((await page.locator("main").innerText()).includes("demande de saisir à nouveau votre mot de passe"));
  await page.getByLabel("Identifiant").fill("enseignant.demo");
  await page.locator("#password").fill(DEMO_PASSWORD);
  await Promise.all([
    page.waitForURL((url) => url.origin === setup.service),
    page.getByRole("button", { name: "Se connecter" }).click(),
  ]);
  assert.equal(await page.locator("h1").innerText(), "Connecté : enseignant.demo");
  const attributes = JSON.parse(await page.locator("#attributes").innerText());
  assert.equal(attributes.isFromNewLogin, "true");
  assert.equal(attributes.profile, "National_ENS");
  assert.deepEqual(problems, []);
  await context.close();
});

test("the administrator registers a service on a phone without JavaScript, and a teacher finds its tile", async () => {
  const context = await setup.browser.newContext({ ...PHONE, javaScriptEnabled: false });
  const page = await context.newPage();
  // 422: the refused form, shown again.
  const problems = watchProblems(page, [422], { javaScriptEnabled: false });
  await page.goto(`${setup.server.base}/connexion`);
  await page.getByLabel("Identifiant").fill("admin.demo");
  await page.locator("#password").fill(DEMO_PASSWORD);
  await Promise.all([page.waitForURL((url) => url.pathname === "/"), page.getByRole("button", { name: "Se connecter" }).click()]);
  await page.goto(`${setup.server.base}/admin`);
  await Promise.all([page.waitForURL(/\/admin\/services/), page.getByRole("link", { name: /Services où l'on entre/ }).click()]);
  const listed = await page.locator("main").innerText();
  assert.ok(listed.includes("Moodle du collège") && listed.includes("Services du fichier de configuration"), listed);
  // A wildcard is refused: the form comes back as typed, the reason under the address.
  await page.getByLabel("Nom", { exact: true }).fill("Catalogue du CDI");
  await page.getByLabel("Début de l'adresse du service").fill("https://cdi.example/*");
  await page.getByLabel("nom affiché", { exact: true }).check();
  await page.locator("#profil-National_ENS").check();
  await page.getByLabel("L'afficher sur la page d'accueil").check();
  const [refused] = await Promise.all([
    page.waitForResponse((response) => response.request().method() === "POST"),
    page.getByRole("button", { name: "Enregistrer le service" }).click(),
  ]);
  assert.equal(refused.status(), 422);
  await page.waitForLoadState();
  const address = page.getByLabel("Début de l'adresse du service");
  assert.equal(await address.inputValue(), "https://cdi.example/*");
  assert.equal(await address.getAttribute("aria-invalid"), "true");
  assert.equal(
    await page.locator("#adresse-erreur").innerText(),
    "«\u00a0https://cdi.example/*\u00a0» contient un joker, une espace ou un caractère de contrôle\u00a0: une adresse ne couvre qu'un service.",
  );
  assert.equal(await page.getByLabel("Nom", { exact: true }).inputValue(), "Catalogue du CDI");
  assert.ok(await page.getByLabel("nom affiché", { exact: true }).isChecked());
  assert.ok(await page.locator("#profil-National_ENS").isChecked());
  assert.ok(await page.getByLabel("L'afficher sur la page d'accueil").isChecked());
  assert.ok((await page.locator("main").innerText()).includes("Aucun service enregistré ici pour l'instant."), "nothing written");
  // Corrected, the same form registers it with the choices kept.
  await address.fill(`${setup.service}/cdi/`);
  await Promise.all([page.waitForURL(/enregistre=service/), page.getByRole("button", { name: "Enregistrer le service" }).click()]);
  const saved = await page.locator("main").innerText();
  assert.ok(saved.includes("Le service est enregistré."), saved);
  assert.ok(saved.includes("Catalogue du CDI"));
  // Its logo, sent from the phone (a multipart form, no script): the page shows it.
  await page.getByLabel(/Logo de/).setInputFiles(join(here, "..", "fixtures", "logos", "cdi.png"));
  await Promise.all([page.waitForURL(/enregistre=logo/), page.getByRole("button", { name: "Envoyer le logo" }).click()]);
  assert.ok((await page.locator("main").innerText()).includes("Le logo est enregistré."));
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `no sideways scrolling on a phone (${width}px)`);
  assert.deepEqual(problems, []);
  await context.close();

  const teacher = await setup.browser.newContext({ ...PHONE, javaScriptEnabled: false });
  const home = await teacher.newPage();
  await home.goto(`${setup.server.base}/connexion`);
  await home.getByLabel("Identifiant").fill("enseignant.demo");
  await home.locator("#password").fill(DEMO_PASSWORD);
  await Promise.all([home.waitForURL((url) => url.pathname === "/"), home.getByRole("button", { name: "Se connecter" }).click()]);
  const tile = home.getByRole("link", { name: /Catalogue du CDI/ });
  assert.equal(await tile.getAttribute("href"), `${setup.service}/cdi/`);
  // The logo beside its name: decorative (the name says it), drawn at 48 px.
  const logo = tile.locator("img.service-logo");
  assert.equal(await logo.getAttribute("alt"), "");
  assert.equal(await logo.evaluate((img) => img.complete && img.naturalWidth), 48);
  assert.equal((await tile.innerText()).trim().split("\n")[0], "Catalogue du CDI");
  await teacher.close();
});
