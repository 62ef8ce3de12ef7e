// Notifications on a phone: parent.demo keeps a page open while the maths teacher writes to
// her. With JavaScript the header's count goes up by itself; without JavaScript it stays as it
// was until she refreshes; opening the feed shows the message as new and brings both tabs back
// to zero.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { ARTIFACTS, PHONE, signIn, useDemo, waitForIslands, watchProblems } from "./harness.mjs";

const demo = useDemo();

async function phonePage(login, javaScriptEnabled) {
  const context = await demo.browser.newContext({ ...PHONE, javaScriptEnabled });
  const page = await context.newPage();
  const problems = watchProblems(page, [], { javaScriptEnabled });
  await signIn(page, demo.server.base, login);
  return { context, page, problems };
}

/** The number in the header, as shown (an empty string when hidden at zero is still « 0 »). */
async function headerCount(page) {
  return Number(await page.locator(".notifications-link [data-unseen]").textContent());
}

/** The teacher writes to parent.demo through the API, with his browser's session. */
async function teacherWrites(teacher, subject) {
  const base = demo.server.base;
  const csrf = await teacher.page.locator("input[name='csrf']").first().inputValue();
  const found = await teacher.page.request.get(`${base}/api/v1/messages/recipients?q=fontaine`);
  assert.equal(found.status(), 200);
  const [recipient] = await found.json();
  assert.equal(recipient.kind, "person");
  const sent = await teacher.page.request.post(`${base}/api/v1/messages`, {
    headers: { "x-csrf-token": csrf },
    data: { to: [recipient.id], subject, body: "Rendez-vous à 8 h devant le collège." },
  });
  assert.equal(sent.status(), 201);
}

test("a teacher writes, and the parent's open page counts it live with JavaScript and after a refresh without", async () => {
  const live = await phonePage("parent.demo", true);
  await waitForIslands(live.page);
  const plain = await phonePage("parent.demo", false);
  const before = await headerCount(plain.page);
  assert.equal(await headerCount(live.page), before);
  const teacher = await phonePage("enseignant.demo", false);

  await teacherWrites(teacher, "Sortie au planétarium");
  await live.page.waitForFunction(
    (expected) => document.querySelector(".notifications-link [data-unseen]")?.textContent === expected,
    String(before + 1),
    { timeout: 10_000 },
  );
  assert.ok(await live.page.locator(".notifications-count").isVisible());
  const width = await live.page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the page scrolls sideways: ${width}px wide`);
  await live.page.screenshot({ path: join(ARTIFACTS, "notifications-en-direct-390.png") });
  assert.equal(await headerCount(plain.page), before, "without JavaScript nothing moves by itself");

  await plain.page.reload();
  assert.equal(await headerCount(plain.page), before + 1, "a refresh brings the count");
  await plain.page.locator(".notifications-link").click();
  await plain.page.getByRole("heading", { name: "Notifications", level: 1 }).waitFor();
  const line = plain.page.locator("li.notification-line", { hasText: "Sortie au planétarium" });
  assert.match(await line.innerText(), /Nouveau message de .+\s: Sortie au planétarium/);
  assert.match(await line.innerText(), /Nouveau · Messagerie/);
  assert.equal(await headerCount(plain.page), 0, "opening the feed marks it seen");
  assert.equal(await plain.page.locator(".notifications-count").isVisible(), false);
  await plain.page.screenshot({ path: join(ARTIFACTS, "notifications-390.png"), fullPage: true });
  await live.page.waitForFunction(
    () => document.querySelector(".notifications-link [data-unseen]")?.hidden === true,
    undefined,
    { timeout: 10_000 },
  );
  await line.getByRole("link").click();
  await plain.page.waitForURL(/\/messagerie\/messages\/\d+$/);

  for (const person of [live, plain, teacher]) {
    assert.deepEqual(person.problems, []);
    await person.context.close();
  }
});
