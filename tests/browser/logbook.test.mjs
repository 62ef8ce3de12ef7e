// The cahier de textes on a phone: with JavaScript off, Léa (4e B) reads « à faire » and ticks an
// item done, and her maths teacher fills a session from « mes séances »; with JavaScript on,
// « à faire » stays readable when the phone loses the network, and nothing else does.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { ARTIFACTS, PHONE, signIn, useDemo, waitForIslands, watchProblems } from "./harness.mjs";

const demo = useDemo();

async function phonePage(login, javaScriptEnabled = false) {
  const context = await demo.browser.newContext({ ...PHONE, javaScriptEnabled });
  const page = await context.newPage();
  const problems = watchProblems(page, [], { javaScriptEnabled });
  await signIn(page, demo.server.base, login);
  return { context, page, problems };
}

async function fitsThePhone(page) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the page scrolls sideways: ${width}px wide`);
}

test("without JavaScript, a pupil reads « à faire » on a phone and ticks an item done", async () => {
  const { context, page, problems } = await phonePage("eleve.demo");
  await page.goto(`${demo.server.base}/cahier-de-textes`);
  assert.equal(new URL(page.url()).pathname, "/cahier-de-textes/a-faire");
  await page.getByRole("heading", { name: "À faire", level: 1 }).waitFor();
  assert.match(await page.locator("[data-fetched]").innerText(), /^Mis à jour le \w+ \d/);
  const items = page.locator("li.homework-item");
  const count = await items.count();
  assert.ok(count >= 3, `the demo's homework of the coming days: ${count}`);
  assert.match(await page.locator("li.day h2").first().innerText(), /^Pour (aujourd'hui, |demain, |le )/);
  await fitsThePhone(page);
  await page.screenshot({ path: join(ARTIFACTS, "a-faire-eleve-390.png"), fullPage: true });

  const first = items.first();
  const subject = await first.locator("strong").first().innerText();
  const text = await first.locator(".homework-text").innerText();
  await Promise.all([page.waitForURL(/\/cahier-de-textes\/a-faire$/), first.getByRole("button", { name: "Marquer comme fait" }).click()]);
  const ticked = page.locator("li.homework-item", { hasText: text }).filter({ hasText: subject }).first();
  assert.match(await ticked.innerText(), /fait/);
  await ticked.getByRole("button", { name: "Remettre à faire" }).waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});

test("without JavaScript, a teacher fills a session from « mes séances » on a phone", async () => {
  const { context, page, problems } = await phonePage("enseignant.demo");
  await page.goto(`${demo.server.base}/cahier-de-textes`);
  await page.getByRole("heading", { name: "Mes séances", level: 1 }).waitFor();
  await fitsThePhone(page);
  const session = page.locator("li.session a").first();
  await Promise.all([page.waitForURL(/\/cahier-de-textes\/seances\/\d+-\d{8}$/), session.click()]);
  await page.getByLabel("Contenu", { exact: true }).fill("Correction de l'exercice 3.\n\nLes fractions égyptiennes : <em>définition</em>.");
  const fresh = page.locator("fieldset.homework-fields").last();
  await fresh.getByLabel("Description").fill("Exercice 8 p. 54, à rédiger sur copie");
  await fresh.getByLabel("Nature").selectOption("exercise");
  await fresh.getByLabel("Temps estimé (minutes)").fill("30");
  await Promise.all([page.waitForURL(/ok=enregistre/), page.getByRole("button", { name: "Enregistrer" }).click()]);
  await page.getByText("La séance est enregistrée").waitFor();
  const lesson = page.locator(".lesson");
  assert.match(await lesson.innerText(), /Correction de l'exercice 3\./);
  assert.equal(await lesson.locator("em").innerText(), "définition");
  assert.match(await page.locator("section", { hasText: "Travail à faire" }).first().innerText(), /Exercice 8 p\. 54/);
  await fitsThePhone(page);
  assert.deepEqual(problems, []);
  await context.close();
});

test("with JavaScript, the lesson editor's buttons format the selection, and the server keeps it", async () => {
  const { context, page, problems } = await phonePage("enseignant.demo", true);
  await page.goto(`${demo.server.base}/cahier-de-textes/seances`);
  await waitForIslands(page);
  await Promise.all([page.waitForURL(/\/cahier-de-textes\/seances\/\d+-\d{8}$/), page.locator("li.session a").nth(1).click()]);
  assert.equal(await waitForIslands(page), 1, "the editor is the page's one island");
  const text = page.getByLabel("Contenu", { exact: true });
  await text.fill("Les fractions égyptiennes");
  await text.evaluate((area) => area.setSelectionRange(4, 13));
  await page.getByRole("toolbar", { name: "Mise en forme" }).getByRole("button", { name: "Gras" }).click();
  assert.equal(await text.inputValue(), "Les <strong>fractions</strong> égyptiennes");
  await Promise.all([page.waitForURL(/ok=enregistre/), page.getByRole("button", { name: "Enregistrer" }).click()]);
  assert.equal(await page.locator(".lesson strong").innerText(), "fractions");
  assert.deepEqual(problems, []);
  await context.close();
});

test("with JavaScript, « à faire » stays readable offline with its date, and nothing else does", async () => {
  const context = await demo.browser.newContext({ ...PHONE, javaScriptEnabled: true });
  const page = await context.newPage();
  await signIn(page, demo.server.base, "eleve.demo");
  const todo = `${demo.server.base}/cahier-de-textes/a-faire`;
  await page.goto(todo);
  // The worker installs, then takes the page over; the next visit goes through it and is kept.
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload();
  assert.equal(await page.evaluate(() => navigator.serviceWorker.controller !== null), true);
  await page.reload();
  const online = await page.locator("li.homework-item").allInnerTexts();
  const date = await page.locator("[data-fetched]").innerText();
  assert.ok(online.length > 0);

  await context.setOffline(true);
  await page.reload();
  await page.getByRole("heading", { name: "À faire", level: 1 }).waitFor();
  const kept = await page.locator("[data-fetched]").innerText();
  assert.ok(kept.startsWith("Hors connexion : voici la dernière version reçue."), kept);
  assert.ok(kept.endsWith(date), `${kept} ends with ${date}`);
  assert.deepEqual(await page.locator("li.homework-item").allInnerTexts(), online);
  await page.screenshot({ path: join(ARTIFACTS, "a-faire-hors-connexion-390.png"), fullPage: true });
  await assert.rejects(page.goto(`${demo.server.base}/emploi-du-temps`), "no other page is kept");
  await context.setOffline(false);
  await context.close();
});
