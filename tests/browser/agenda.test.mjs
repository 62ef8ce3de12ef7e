// The agenda on a phone with JavaScript off: Léa (4e B) reads her month, adds a personal event
// with the form, finds it on its day, and removes it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { ARTIFACTS, PHONE, signIn, useDemo, watchProblems } from "./harness.mjs";

const demo = useDemo();

test("without JavaScript, a pupil reads the month and adds then removes her own event on a phone", async () => {
  const context = await demo.browser.newContext({ ...PHONE, javaScriptEnabled: false });
  const page = await context.newPage();
  const problems = watchProblems(page, [], { javaScriptEnabled: false });
  await signIn(page, demo.server.base, "eleve.demo");
  await page.goto(`${demo.server.base}/agenda?vue=mois&date=2026-12-01`);
  await page.getByRole("heading", { name: "Agenda", level: 1 }).waitFor();
  assert.equal(await page.locator(".week-label").innerText(), "Décembre 2026");
  assert.equal(await page.getByRole("link", { name: "Mois" }).getAttribute("aria-current"), "page");

  await page.getByRole("link", { name: "Ajouter un événement" }).click();
  await page.getByLabel("Titre").fill("Répétition de la chorale");
  await page.getByLabel("Nature").selectOption("other");
  await page.getByLabel("Pour").selectOption("moi");
  await page.getByLabel("Début", { exact: true }).fill("2026-12-16");
  await page.getByLabel("Heure de début").fill("12:30");
  await page.getByLabel("Heure de fin").fill("13:20");
  await page.getByLabel("Lieu").fill("Salle de musique");
  await Promise.all([page.waitForURL(/\/agenda\/evenements\/\d+$/), page.getByRole("button", { name: "Ajouter" }).click()]);
  await page.getByRole("heading", { name: "Répétition de la chorale" }).waitFor();
  assert.match(await page.locator("dl.facts").innerText(), /Mercredi 16 décembre 2026, 12:30 – 13:20/);

  await page.goto(`${demo.server.base}/agenda?vue=jour&date=2026-12-16`);
  const line = page.locator("li.event", { hasText: "Répétition de la chorale" });
  assert.match(await line.innerText(), /12:30 – 13:20/);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the page scrolls sideways: ${width}px wide`);
  await page.screenshot({ path: join(ARTIFACTS, "agenda-eleve-390.png"), fullPage: true });

  await line.getByRole("link").click();
  await Promise.all([page.waitForURL(/\/agenda$/), page.getByRole("button", { name: "Supprimer cet événement" }).click()]);
  await page.goto(`${demo.server.base}/agenda?vue=jour&date=2026-12-16`);
  assert.equal(await page.locator("li.event", { hasText: "Répétition de la chorale" }).count(), 0);
  assert.deepEqual(problems, []);
  await context.close();
});
