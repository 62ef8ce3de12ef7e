// Actualités on a phone with JavaScript off: the maths teacher publishes to 4e B, and Léa reads
// it on her home page, in the list and on its page.
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

test("without JavaScript, a teacher publishes to his class and a pupil reads it on a phone", async () => {
  const teacher = await phonePage("enseignant.demo");
  await teacher.page.goto(`${demo.server.base}/actualites`);
  await teacher.page.getByRole("link", { name: "Publier une actualité" }).click();
  await teacher.page.getByLabel("Titre").fill("Sortie au planétarium");
  await teacher.page.getByLabel("Texte").fill("Rendez-vous à 8 h devant le collège.\n\nPrévoir un goûter.");
  await teacher.page.getByLabel("Pour").selectOption({ label: "4e B" });
  await Promise.all([
    teacher.page.waitForURL(/\/actualites\/\d+$/),
    teacher.page.getByRole("button", { name: "Publier" }).click(),
  ]);
  await teacher.page.getByRole("heading", { name: "Sortie au planétarium" }).waitFor();
  assert.deepEqual(teacher.problems, []);
  await teacher.context.close();

  const pupil = await phonePage("eleve.demo");
  const card = pupil.page.locator("section", { has: pupil.page.getByRole("heading", { name: "Actualités" }) });
  assert.match(await card.innerText(), /Sortie au planétarium/);
  await pupil.page.getByRole("link", { name: "Toutes les actualités" }).click();
  await pupil.page.getByRole("heading", { name: "Actualités", level: 1 }).waitFor();
  assert.ok((await pupil.page.locator("li.news-item").count()) >= 2, "the demo's items and the new one");
  await pupil.page.getByRole("link", { name: "Sortie au planétarium" }).click();
  assert.match(await pupil.page.locator(".lesson").innerText(), /Prévoir un goûter\./);
  const width = await pupil.page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the page scrolls sideways: ${width}px wide`);
  await pupil.page.screenshot({ path: join(ARTIFACTS, "actualite-eleve-390.png"), fullPage: true });
  assert.deepEqual(pupil.problems, []);
  await pupil.context.close();
});
