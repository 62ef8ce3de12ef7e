// The timetable on a phone with JavaScript off: Léa (4e B) reads her week day by day, goes to the
// next week with a link, and her mother switches from one child to the other with the form.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { ARTIFACTS, PHONE, signIn, useDemo, watchProblems } from "./harness.mjs";

const demo = useDemo();

async function phonePage(login) {
  const context = await demo.browser.newContext({ ...PHONE, javaScriptEnabled: false });
  const page = await context.newPage();
  const problems = watchProblems(page, [], { javaScriptEnabled: false });
  await signIn(page, demo.server.base, login);
  return { context, page, problems };
}

async function fitsThePhone(page) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the page scrolls sideways: ${width}px wide`);
}

test("without JavaScript, a pupil reads her week on a phone and moves to the next one", async () => {
  const { context, page, problems } = await phonePage("eleve.demo");
  await page.goto(`${demo.server.base}/emploi-du-temps?semaine=2026-11-30`);
  await page.getByRole("heading", { name: "Mon emploi du temps" }).waitFor();
  assert.match(await page.locator(".week-label").innerText(), /Semaine du 30 novembre au samedi 5 décembre 2026 · semaine B/);
  const days = page.locator("li.day");
  assert.equal(await days.count(), 5, "Monday to Friday, no Saturday without courses");
  assert.match(await days.nth(0).locator("h2").innerText(), /^Lundi 30 novembre 2026/);
  const monday = await days.nth(0).locator(".session").count();
  assert.ok(monday >= 4, `a full Monday: ${monday} sessions`);
  const first = await days.nth(0).locator(".session").first().innerText();
  assert.match(first, /\d\d:\d\d – \d\d:\d\d/);
  assert.match(first, /4e B/);
  await fitsThePhone(page);
  await page.screenshot({ path: join(ARTIFACTS, "emploi-du-temps-eleve-390.png"), fullPage: true });

  // The Christmas break, three weeks later: every day says so, Christmas day as a bank holiday.
  await page.getByRole("link", { name: "Semaine suivante →" }).click();
  await page.getByRole("link", { name: "Semaine suivante →" }).click();
  await page.getByRole("link", { name: "Semaine suivante →" }).click();
  assert.match(new URL(page.url()).searchParams.get("semaine"), /^2026-12-21$/);
  assert.equal(await page.locator("li.day", { hasText: "Vacances de Noël" }).count(), 4);
  assert.equal(await page.locator("li.day", { hasText: "Jour férié : Noël" }).count(), 1);
  assert.equal(await page.locator(".session").count(), 0);
  assert.deepEqual(problems, []);
  await context.close();
});

test("without JavaScript, a parent chooses which child's week to read", async () => {
  const { context, page, problems } = await phonePage("parent.demo");
  await page.goto(`${demo.server.base}/emploi-du-temps?semaine=2026-11-30`);
  const heading = page.getByRole("heading", { level: 1 });
  const first = await heading.innerText();
  assert.match(first, /^Emploi du temps de /);
  const choices = await page.getByLabel("Enfant").locator("option").allInnerTexts();
  assert.equal(choices.length, 2);
  const other = choices.find((name) => !first.endsWith(name));
  await page.getByLabel("Enfant").selectOption({ label: other });
  await Promise.all([page.waitForURL(/enfant=/), page.getByRole("button", { name: "Afficher" }).click()]);
  assert.equal(await heading.innerText(), `Emploi du temps de ${other}`);
  assert.equal(new URL(page.url()).searchParams.get("semaine"), "2026-11-30", "the week is kept");
  assert.ok((await page.locator(".session").count()) > 10);
  await fitsThePhone(page);
  assert.deepEqual(problems, []);
  await context.close();
});
