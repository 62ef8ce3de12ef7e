// The resource library on a phone, as Léa, a 4e pupil of 4B: with JavaScript off, the search form
// and the facet links; with it on, the results follow the typing without leaving the page.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { ARTIFACTS, PHONE, signIn, useDemo, waitForIslands, watchProblems } from "./harness.mjs";

const demo = useDemo();


/** What the page says about the results: the count and, per result, its title, text and details. */
async function shown(page) {
  const count = await page.locator("#resultats-nombre").innerText();
  const hits = await page.locator(".result").evaluateAll((items) =>
    items.map((item) => ({
      title: item.querySelector(".result-title").innerText,
      href: item.querySelector(".result-title").getAttribute("href"),
      text: item.querySelector(".result-text").innerText,
      detail: item.querySelector(".result-detail").innerText,
    })),
  );
  return { count, hits };
}

/** « 6 ressources » → 6. */
function total(count) {
  return count.startsWith("Aucune") ? 0 : Number(count.replace(/\D/g, ""));
}

async function searchPage(javaScriptEnabled) {
  const context = await demo.browser.newContext({ ...PHONE, javaScriptEnabled });
  const page = await context.newPage();
  const problems = watchProblems(page, [], { javaScriptEnabled });
  await signIn(page, demo.server.base, "eleve.demo");
  await page.goto(`${demo.server.base}/ressources`);
  if (javaScriptEnabled) await waitForIslands(page);
  return { context, page, problems };
}

async function fitsThePhone(page) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the page scrolls sideways: ${width}px wide`);
}

test("without JavaScript, a pupil searches with the form and narrows the results with facet links", async () => {
  const { context, page, problems } = await searchPage(false);
  const everything = await shown(page);
  assert.ok(total(everything.count) > 0, everything.count);

  await page.getByLabel("Rechercher", { exact: true }).fill("Pythagore");
  await page.getByLabel("Discipline", { exact: true }).selectOption({ label: "Mathématiques" });
  await page.getByLabel("Niveau", { exact: true }).selectOption({ label: "4e" });
  await Promise.all([page.waitForURL(/discipline=061300/), page.getByRole("button", { name: "Rechercher" }).click()]);
  const url = new URL(page.url());
  assert.equal(url.searchParams.get("q"), "Pythagore");
  assert.equal(url.searchParams.get("level"), "num-021");
  const found = await shown(page);
  assert.notEqual(found.count, everything.count);
  assert.ok(found.hits.length > 0, "the pupil's class has mathematics resources");
  assert.equal(found.hits.length, Math.min(total(found.count), 20));
  for (const hit of found.hits) {
    assert.match(hit.detail, /Mathématiques/, hit.title);
    assert.match(hit.detail, / · 4e · /, hit.title);
    assert.match(`${hit.title} ${hit.text}`, /pythagore/i, hit.title);
    assert.match(hit.href, /^\/ressources\/\d+$/, "a result opens its own page");
  }
  await fitsThePhone(page);

  // The programme: the mathematics theme keeps the words and the other filters.
  const themes = page.getByRole("navigation", { name: "Thèmes du programme" });
  await Promise.all([page.waitForURL(/theme=061300/), themes.getByRole("link", { name: /^Mathématiques \(/ }).click()]);
  const inTheme = new URL(page.url());
  for (const [name, value] of [["q", "Pythagore"], ["discipline", "061300"], ["level", "num-021"]]) {
    assert.equal(inTheme.searchParams.get(name), value, name);
  }
  const crumbs = page.getByRole("navigation", { name: "Thèmes du programme" }).locator(".crumbs");
  assert.equal(await crumbs.getByRole("link", { name: "Tous les thèmes" }).count(), 1);
  assert.equal(await crumbs.locator("[aria-current]").innerText(), "Mathématiques");

  // A kind: every result is of that kind.
  const kind = page.getByRole("navigation", { name: "Types" }).getByRole("link").first();
  const label = (await kind.innerText()).replace(/ \(.*\)$/, "");
  await Promise.all([page.waitForURL(/kind=/), kind.click()]);
  assert.equal(new URL(page.url()).searchParams.get("theme"), "061300", "the theme is kept");
  const ofKind = await shown(page);
  assert.ok(ofKind.hits.length > 0);
  for (const hit of ofKind.hits) assert.ok(hit.detail.startsWith(`${label} · `), `${label}: ${hit.detail}`);

  assert.deepEqual(problems, []);
  await context.close();
});

test("with JavaScript, the results follow the typing and the choices without leaving the page", async () => {
  const { context, page, problems } = await searchPage(true);
  // A full page load would lose this.
  await page.evaluate(() => {
    window.stillTheSamePage = true;
  });
  const everything = await shown(page);

  await page.getByLabel("Rechercher", { exact: true }).pressSequentially("exercices", { delay: 40 });
  await page.waitForFunction(() => new URLSearchParams(location.search).get("q") === "exercices");
  await page.waitForFunction((before) => document.getElementById("resultats-nombre").innerText !== before, everything.count);
  const typed = await shown(page);
  assert.ok(typed.hits.length > 0, "the demo has exercises for 4B");
  assert.equal(typed.hits.length, Math.min(total(typed.count), 20));
  assert.equal(await page.evaluate(() => window.stillTheSamePage), true, "no navigation");

  await page.getByLabel("Discipline", { exact: true }).selectOption({ label: "Mathématiques" });
  await page.waitForFunction(() => {
    const details = [...document.querySelectorAll(".result-detail")].map((p) => p.innerText);
    return location.search.includes("discipline=061300") && details.length > 0 && details.every((d) => d.includes("Mathématiques"));
  });
  const url = new URL(page.url());
  assert.equal(url.pathname, "/ressources");
  assert.equal(url.searchParams.get("q"), "exercices", "the words are kept");
  assert.equal(await page.evaluate(() => window.stillTheSamePage), true, "no navigation");

  // A facet link is followed in place too, and the address can be shared.
  const level = page.getByRole("navigation", { name: "Niveaux" }).getByRole("link").first();
  const levelName = (await level.innerText()).replace(/ \(.*\)$/, "");
  await level.click();
  await page.waitForFunction(() => location.search.includes("level="));
  await page.waitForFunction((name) => {
    const chosen = document.querySelector("nav[aria-label='Niveaux'] [aria-current='true']");
    return chosen !== null && chosen.innerText.startsWith(name);
  }, levelName);
  assert.equal(await page.evaluate(() => window.stillTheSamePage), true, "no navigation");
  const live = await shown(page);
  const shared = await context.newPage();
  await shared.goto(page.url());
  assert.deepEqual(await shown(shared), live, "the address shows the same results when opened");
  await shared.close();

  await fitsThePhone(page);
  await page.screenshot({ path: join(ARTIFACTS, "resources-mobile-390x844.png"), fullPage: true });
  const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  assert.deepEqual(axe.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(", ")})`), []);
  assert.deepEqual(problems, []);
  await context.close();
});

test("with JavaScript, a slow answer to older words never replaces the answer to newer ones", async () => {
  const { context, page, problems } = await searchPage(true);
  // The answer for « vidéo » arrives long after the one for « exercices ».
  let slowAnswered;
  const slowDone = new Promise((resolve) => {
    slowAnswered = resolve;
  });
  await page.route("**/ressources.json?*", async (route) => {
    const q = new URL(route.request().url()).searchParams.get("q");
    if (q === "vidéo") {
      await new Promise((r) => setTimeout(r, 1500));
      await route.continue();
      setTimeout(slowAnswered, 300);
    } else {
      await route.continue();
    }
  });
  const words = page.getByLabel("Rechercher", { exact: true });
  await words.fill("vidéo");
  await page.waitForTimeout(400);
  await words.fill("exercices");
  await page.waitForFunction(() => new URLSearchParams(location.search).get("q") === "exercices");
  const newer = await shown(page);
  await slowDone;
  assert.equal(new URLSearchParams(new URL(page.url()).search).get("q"), "exercices");
  assert.deepEqual(await shown(page), newer);
  assert.deepEqual(problems, []);
  await context.close();
});

test("typing « pythag » letter by letter shows the Pythagore resource from the third letter, never a stale result", async () => {
  const { context, page, problems } = await searchPage(true);
  // Every redrawing of the results, with the words in the address bar when it happened (the
  // island puts them there in the same task, before the observer runs).
  await page.evaluate(() => {
    window.drawings = [];
    const results = document.getElementById("resultats");
    new MutationObserver(() => {
      window.drawings.push({
        q: new URLSearchParams(location.search).get("q") ?? "",
        titles: [...results.querySelectorAll(".result-title")].map((a) => a.innerText),
      });
    }).observe(results, { childList: true, subtree: true });
  });
  // Slower than the island's pause, so that every prefix is searched.
  await page.getByLabel("Rechercher", { exact: true }).pressSequentially("pythag", { delay: 350 });
  await page.waitForFunction(() => new URLSearchParams(location.search).get("q") === "pythag");
  await page.waitForFunction(() =>
    [...document.querySelectorAll(".result-title")].some((a) => a.innerText.includes("Pythagore")),
  );
  const drawings = await page.evaluate(() => window.drawings);
  const shows = (drawing) => drawing.titles.some((title) => title.includes("Pythagore"));
  const first = drawings.findIndex(shows);
  assert.ok(first >= 0, JSON.stringify(drawings));
  assert.ok(["pyt", "pyth"].includes(drawings[first].q), `first shown for « ${drawings[first].q} »`);
  for (const drawing of drawings.slice(first)) {
    assert.ok(shows(drawing), `« ${drawing.q} » lost it: ${drawing.titles.join(" | ")}`);
    assert.ok("pythag".startsWith(drawing.q) && drawing.q.length >= 3, `a stale drawing for « ${drawing.q} »`);
  }
  const lengths = drawings.map((drawing) => drawing.q.length);
  assert.deepEqual(lengths, [...lengths].sort((a, b) => a - b), "the words only ever grow");
  const top = await shown(page);
  assert.match(top.hits[0].title, /Pythagore/);
  await fitsThePhone(page);
  assert.deepEqual(problems, []);
  await context.close();
});

test("with JavaScript, a filter read in the words leaves with them: « maths fract », then « fract »", async () => {
  const { context, page, problems } = await searchPage(true);
  const understood = page.getByRole("navigation", { name: "Filtres compris dans les mots" });
  const words = page.getByLabel("Rechercher", { exact: true });

  await words.pressSequentially("maths fract", { delay: 40 });
  await page.waitForFunction(() => new URLSearchParams(location.search).get("q") === "maths fract");
  await understood.getByRole("link", { name: "«\u00a0maths\u00a0» : Mathématiques ✕" }).waitFor();
  const narrowed = await shown(page);
  assert.ok(narrowed.hits.length > 0, narrowed.count);
  for (const hit of narrowed.hits) assert.match(hit.detail, /Mathématiques/, hit.title);
  assert.equal(await page.getByLabel("Discipline", { exact: true }).inputValue(), "", "the select stays as chosen");
  await fitsThePhone(page);

  // The pupil deletes « maths »: the words left, so the filter leaves.
  await words.fill("fract");
  await page.waitForFunction(() => new URLSearchParams(location.search).get("q") === "fract");
  await page.waitForFunction(() => document.querySelector("nav.understood") === null);
  const url = new URL(page.url());
  assert.equal(url.searchParams.get("discipline"), null, "no discipline was chosen");
  const widened = await shown(page);
  // In the demo only mathematics resources hold « fract »: the results are no longer narrowed,
  // which the count shows, though here it finds the same ones.
  assert.ok(total(widened.count) >= total(narrowed.count), `${widened.count} after ${narrowed.count}`);

  assert.deepEqual(problems, []);
  await context.close();
});
