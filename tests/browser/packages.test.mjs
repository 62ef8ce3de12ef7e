// Uploaded resources in a real browser: an interactive package runs its scripts in its sandbox
// and cannot act as the signed-in pupil; a teacher publishes a file without JavaScript on a phone.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { ARTIFACTS, PHONE, signIn, useDemo, watchProblems } from "./harness.mjs";

const here = dirname(fileURLToPath(import.meta.url));

const demo = useDemo();

test("a package runs its quiz in the page, sandboxed away from the pupil's session", async () => {
  const context = await demo.browser.newContext(PHONE);
  const page = await context.newPage();
  const problems = watchProblems(page);
  await signIn(page, demo.server.base, "eleve.demo");
  const found = await page.evaluate(async () => {
    const response = await fetch("/api/v1/resources?kind=package");
    return response.json();
  });
  assert.ok(found.total > 0, "the demo publishes packages to 4B");
  const id = found.hits[0].id;
  await page.goto(`${demo.server.base}/ressources/${id}`);
  // A resource's page is plain HTML: no bundle to load, nothing to hydrate.
  assert.equal(await page.locator("script[type='module']").count(), 0);

  const frameElement = page.locator("iframe[sandbox]");
  assert.equal(await frameElement.getAttribute("sandbox"), "allow-scripts allow-forms allow-popups allow-modals");
  const quiz = page.frameLocator("iframe[sandbox]");
  await quiz.getByRole("button", { name: "vrai" }).first().click();
  await quiz.getByText("Bonne réponse !").waitFor({ timeout: 10_000 });
  assert.match(await quiz.locator("#score").innerText(), /Score : 1 \/ 1/);

  // The page and the package loaded without a single error.
  assert.deepEqual(problems, []);

  // Inside the package: an opaque origin. No cookie, no reading of the ENT, no parent page.
  const frame = page.frames().find((f) => f.url().includes("/paquets/"));
  assert.ok(frame, "the package's frame");
  const reach = await frame.evaluate(async () => {
    const attempt = async (work) => {
      try {
        return `allowed: ${await work()}`;
      } catch (error) {
        return `refused: ${error.name}`;
      }
    };
    return {
      cookie: await attempt(() => document.cookie),
      me: await attempt(async () => (await fetch("/api/v1/me", { credentials: "include" })).status),
      parent: await attempt(() => window.parent.document.title),
    };
  });
  assert.equal(reach.cookie, "refused: SecurityError");
  assert.equal(reach.me, "refused: TypeError");
  assert.equal(reach.parent, "refused: SecurityError");
  await page.screenshot({ path: join(ARTIFACTS, "package-phone.png"), fullPage: true });
  await context.close();
});

test("a teacher publishes an image to 4B from a phone without JavaScript, and the pupil sees it", async () => {
  const context = await demo.browser.newContext({ ...PHONE, javaScriptEnabled: false });
  const page = await context.newPage();
  const problems = watchProblems(page, [], { javaScriptEnabled: false });
  await signIn(page, demo.server.base, "enseignant.demo");
  await page.goto(`${demo.server.base}/ressources/nouvelle`);
  await page.getByLabel("Titre").fill("Carte des reliefs de l’Égypte");
  await page.getByLabel("Description").fill("À compléter en classe.");
  await page.locator("#fichier").setInputFiles(join(here, "..", "fixtures", "resources", "carte-mentale.png"));
  await page.locator("#disciplines").selectOption("061300");
  await page.getByLabel("4e", { exact: true }).check();
  await page.locator("#public-classes").check();
  await page.locator("input[name='cibles'][value='classe:4B']").check();
  await Promise.all([
    page.waitForURL(/\/ressources\/\d+$/),
    page.getByRole("button", { name: "Créer la ressource" }).click(),
  ]);
  const address = new URL(page.url()).pathname;
  assert.ok(await page.locator("main img[src$='/fichier']").isVisible());
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the page fits the phone (${width} px)`);
  assert.deepEqual(problems, []);
  await context.close();

  const pupil = await demo.browser.newContext({ ...PHONE, javaScriptEnabled: false });
  const pupilPage = await pupil.newPage();
  await signIn(pupilPage, demo.server.base, "eleve.demo");
  await pupilPage.goto(`${demo.server.base}${address}`);
  assert.equal(await pupilPage.locator("h1").innerText(), "Carte des reliefs de l’Égypte");
  const image = pupilPage.locator("main img");
  await image.waitFor();
  assert.ok(await image.evaluate((img) => img.complete && img.naturalWidth === 48), "the image is shown");
  assert.equal(await pupilPage.getByRole("link", { name: "Modifier" }).count(), 0);
  await pupil.close();
});
