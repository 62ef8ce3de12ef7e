// Each demo profile signs in and sees its home page, with JavaScript on and off.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { ARTIFACTS, signIn, useDemo, waitForIslands, watchProblems } from "./harness.mjs";

const demo = useDemo();

const PROFILES = [
  { login: "eleve.demo", sees: ["Bonjour Léa", "Ma classe", "4e B"] },
  { login: "parent.demo", sees: ["Bonjour Claire", "Léa Fontaine", "Ses professeurs", "Thomas Moreau"] },
  { login: "enseignant.demo", sees: ["Bonjour Thomas", "Mes classes", "Mathématiques · professeur principal"] },
  { login: "admin.demo", sees: ["Bonjour Nathalie", "Administration"] },
];

for (const javaScriptEnabled of [false, true]) {
  for (const { login, sees } of PROFILES) {
    test(`${login} signs in and sees their home page (JavaScript ${javaScriptEnabled ? "on" : "off"})`, async () => {
      const context = await demo.browser.newContext({ javaScriptEnabled });
      const page = await context.newPage();
      const problems = watchProblems(page, [], { javaScriptEnabled });
      await signIn(page, demo.server.base, login);
      assert.equal(new URL(page.url()).pathname, "/");
      const text = await page.locator("main").innerText();
      for (const expected of sees) assert.ok(text.includes(expected), `${login}: « ${expected} » missing in:\n${text}`);
      const adminLink = await page.locator("a[href='/admin']").count();
      assert.equal(adminLink > 0, login === "admin.demo", "only the admin is offered administration");
      if (javaScriptEnabled) {
        // Only a parent's home page has something interactive: the child switcher.
        assert.equal(await waitForIslands(page), login === "parent.demo" ? 1 : 0, login);
        // Hydration must not have changed what the person sees.
        assert.equal(await page.locator("main").innerText(), text);
      } else {
        assert.equal(await page.locator("html[data-hydrated]").count(), 0);
      }
      assert.deepEqual(problems, []);
      await context.close();
    });
  }
}

test("a wrong password shows a French error without any failed request but the refused sign-in", async () => {
  const context = await demo.browser.newContext();
  const page = await context.newPage();
  const problems = watchProblems(page, [401]);
  await page.goto(`${demo.server.base}/connexion`);
  await waitForIslands(page);
  await page.getByLabel("Identifiant").fill("eleve.demo");
  await page.locator("#password").fill("pas le bon");
  await page.getByRole("button", { name: "Se connecter" }).click();
  await page.getByRole("alert").waitFor();
  assert.equal(await page.getByRole("alert").innerText(), "Identifiant ou mot de passe incorrect.");
  assert.deepEqual(problems, []);
  await context.close();
});

test("once hydrated, the password can be shown and hidden; without JavaScript there is no dead button", async () => {
  const off = await demo.browser.newContext({ javaScriptEnabled: false });
  const plain = await off.newPage();
  await plain.goto(`${demo.server.base}/connexion`);
  assert.equal(await plain.getByRole("button", { name: "Afficher" }).count(), 0);
  await off.close();

  const context = await demo.browser.newContext();
  const page = await context.newPage();
  const problems = watchProblems(page);
  await page.goto(`${demo.server.base}/connexion`);
  await waitForIslands(page);
  await page.locator("#password").fill("secret");
  await page.getByRole("button", { name: "Afficher" }).click();
  assert.equal(await page.locator("#password").getAttribute("type"), "text");
  await page.getByRole("button", { name: "Masquer" }).click();
  assert.equal(await page.locator("#password").getAttribute("type"), "password");
  assert.deepEqual(problems, []);
  await context.close();
});

test("a parent switches child: by the button without JavaScript, at once with it", async () => {
  for (const javaScriptEnabled of [false, true]) {
    const context = await demo.browser.newContext({ javaScriptEnabled });
    const page = await context.newPage();
    const problems = watchProblems(page, [], { javaScriptEnabled });
    await signIn(page, demo.server.base, "parent.demo");
    if (javaScriptEnabled) await waitForIslands(page);
    const select = page.getByLabel("Enfant");
    const hugo = await select.locator("option", { hasText: "Hugo Fontaine" }).getAttribute("value");
    if (javaScriptEnabled) {
      await Promise.all([page.waitForURL(`**/?enfant=${hugo}`), select.selectOption(hugo)]);
    } else {
      await select.selectOption(hugo);
      await Promise.all([page.waitForURL(`**/?enfant=${hugo}`), page.getByRole("button", { name: "Afficher" }).click()]);
    }
    assert.equal(await page.locator("#titre-enfant").innerText(), "Hugo Fontaine");
    assert.deepEqual(problems, []);
    await context.close();
  }
});

test("the home page fits a phone: 390×844 screenshot", async () => {
  const context = await demo.browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  await signIn(page, demo.server.base, "parent.demo");
  await waitForIslands(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px`);
  await page.screenshot({ path: join(ARTIFACTS, "home-mobile-390x844.png"), fullPage: true });
  await page.getByText("Claire Fontaine").click();
  await page.getByRole("navigation").getByRole("link", { name: "Mon compte" }).click();
  await page.waitForURL("**/compte");
  await context.close();
});

test("axe finds no accessibility violation on the sign-in and home pages", async () => {
  const context = await demo.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${demo.server.base}/connexion`);
  await waitForIslands(page);
  const signInPage = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  assert.deepEqual(signInPage.violations.map((v) => `${v.id}: ${v.help}`), []);
  for (const login of ["parent.demo", "enseignant.demo", "admin.demo"]) {
    await context.clearCookies();
    await signIn(page, demo.server.base, login);
    await waitForIslands(page);
    const home = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
    assert.deepEqual(home.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(", ")})`), [], login);
  }
  await context.close();
});
