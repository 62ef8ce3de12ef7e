// The messagerie on a phone with JavaScript off: a parent finds his child's teacher with the
// plain search of the writing form, writes; the teacher sees it unread in his inbox, opens it,
// answers; the parent reads the conversation. With JavaScript, the vie scolaire picks « Parents
// de 4e B » from the suggestions as it types.
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

async function fitsTheScreen(page) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the page scrolls sideways: ${width}px wide`);
}

test("without JavaScript, a parent writes to the teacher found by name and reads the answer", async () => {
  const parent = await phonePage("parent.demo");
  await parent.page.goto(`${demo.server.base}/messagerie`);
  await parent.page.getByRole("heading", { name: "Reçus" }).waitFor();
  await parent.page.getByRole("link", { name: "Écrire" }).click();
  await parent.page.getByLabel("Chercher une personne ou un groupe").fill("moreau");
  await parent.page.getByRole("button", { name: "Chercher" }).click();
  await parent.page.getByLabel(/Thomas Moreau/).check();
  await parent.page.getByLabel("Objet").fill("Cahier oublié");
  await parent.page.getByLabel("Message").fill("Bonjour,\n\nLéa a oublié son cahier en salle B12.");
  await fitsTheScreen(parent.page);
  await parent.page.screenshot({ path: join(ARTIFACTS, "messagerie-ecrire-390.png"), fullPage: true });
  await Promise.all([
    parent.page.waitForURL(/\/messagerie\/messages\/\d+$/),
    parent.page.getByRole("button", { name: "Envoyer" }).click(),
  ]);
  await parent.page.getByRole("heading", { name: "Cahier oublié" }).waitFor();
  assert.deepEqual(parent.problems, []);

  const teacher = await phonePage("enseignant.demo");
  await teacher.page.goto(`${demo.server.base}/messagerie`);
  const line = teacher.page.locator("li.mail-line", { hasText: "Cahier oublié" });
  assert.match(await line.innerText(), /Non lu/);
  await line.getByRole("link").click();
  assert.match(await teacher.page.locator(".mail-message.current").innerText(), /oublié son cahier en salle B12/);
  await teacher.page.getByRole("link", { name: "Répondre", exact: true }).click();
  assert.equal(await teacher.page.getByLabel("Objet").inputValue(), "RE: Cahier oublié");
  await teacher.page.getByLabel("Message").fill("Je le garde au bureau, il peut passer le chercher.");
  await Promise.all([
    teacher.page.waitForURL(/\/messagerie\/messages\/\d+$/),
    teacher.page.getByRole("button", { name: "Envoyer" }).click(),
  ]);
  assert.deepEqual(teacher.problems, []);
  await teacher.context.close();

  await parent.page.goto(`${demo.server.base}/messagerie`);
  await parent.page.locator("li.mail-line", { hasText: "RE: Cahier oublié" }).getByRole("link").click();
  const conversation = await parent.page.locator("main").innerText();
  assert.match(conversation, /Je le garde au bureau/);
  assert.match(conversation, /oublié son cahier en salle B12/, "the question stays in the conversation");
  await fitsTheScreen(parent.page);
  await parent.page.screenshot({ path: join(ARTIFACTS, "messagerie-conversation-390.png"), fullPage: true });
  assert.deepEqual(parent.problems, []);
  await parent.context.close();
});

test("with JavaScript, recipients are suggested as one types and chosen with a tap", async () => {
  const { context, page, problems } = await phonePage("cpe.demo", true);
  await page.goto(`${demo.server.base}/messagerie/nouveau`);
  assert.equal(await waitForIslands(page), 2, "the recipient picker and the text editor");
  const field = page.getByLabel("Chercher une personne ou un groupe");
  await field.pressSequentially("parents 4e b", { delay: 30 });
  const suggestion = page.locator("#suggestions-destinataires").getByRole("button", { name: /Parents de 4e B/ });
  await suggestion.waitFor();
  await fitsTheScreen(page);
  await page.screenshot({ path: join(ARTIFACTS, "messagerie-suggestions-390.png"), fullPage: true });
  await suggestion.click();
  assert.equal(await field.inputValue(), "", "the field is emptied for the next one");
  assert.ok(await page.getByLabel(/Parents de 4e B/).isChecked(), "the group is among the recipients");
  await page.getByLabel("Objet").fill("Photo de classe");
  await page.getByLabel("Message").fill("Le photographe passe jeudi.");
  await Promise.all([
    page.waitForURL(/\/messagerie\/messages\/\d+$/),
    page.getByRole("button", { name: "Envoyer" }).click(),
  ]);
  assert.match(await page.locator(".mail-message.current").innerText(), /À : Parents de 4e B/);
  assert.deepEqual(problems, []);
  await context.close();
});
