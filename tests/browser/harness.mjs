// Shared by the browser tests: start the real `preau` binary on a temporary data directory and
// a free loopback port, and drive Debian's Chromium with playwright-core.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, mkdirSync } from "node:fs";
import { createServer } from "node:net";
import http from "node:http";
import https from "node:https";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { before, after } from "node:test";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
export const ARTIFACTS = join(here, "..", "artifacts");
export const DEMO_PASSWORD = "preau-demo";

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Answers once `url` gives 200; a self-signed certificate is accepted (the box makes one). */
function healthy(url) {
  return new Promise((resolve) => {
    const client = url.startsWith("https:") ? https : http;
    const request = client.get(url, { rejectUnauthorized: false }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on("error", () => resolve(false));
  });
}

/**
 * Starts `preau serve --demo`; resolves once /healthz answers. `tls` serves HTTPS with a
 * self-signed certificate (HTTP/2 offered); `env` adds configuration variables. Without `demo`,
 * the box waits for its installation and `installationToken` is the token of its log.
 */
export async function startServer({ tls = false, env: extra = {}, demo = true } = {}) {
  const bin = process.env.PREAU_BIN ?? join(here, "..", "..", "target", "debug", "preau");
  const data = mkdtempSync(join(tmpdir(), "preau-browser-"));
  const port = await freePort();
  const env = { ...process.env, NO_COLOR: "1", ...extra };
  if (tls) env.PREAU_TLS_MODE = "self-signed";
  delete env.PREAU_BIN;
  const args = ["serve", ...(demo ? ["--demo"] : []), "--data", data, "--listen", `127.0.0.1:${port}`];
  const child = spawn(bin, args, { env, stdio: ["ignore", "ignore", demo ? "inherit" : "pipe"] });
  let installationToken = null;
  if (!demo) {
    let log = "";
    child.stderr.on("data", (chunk) => {
      process.stderr.write(chunk);
      log += chunk;
      installationToken ??= /installation token: ([A-Z0-9-]+)/.exec(log)?.[1] ?? null;
    });
  }
  const base = `${tls ? "https" : "http"}://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`preau exited early (${child.exitCode})`);
    if (await healthy(`${base}/healthz`)) break;
    if (Date.now() > deadline) throw new Error("preau did not become ready");
    await new Promise((r) => setTimeout(r, 50));
  }
  while (!demo && installationToken === null) {
    if (Date.now() > deadline) throw new Error("no installation token in the log");
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    base,
    installationToken,
    async stop() {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
      rmSync(data, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/**
 * Records what a person would not see but a developer must: console errors, uncaught
 * exceptions, failed requests and error answers (other than `allowedStatuses`).
 * With JavaScript off, Chromium refuses script downloads itself (as a CSP block): not a problem.
 */
export function watchProblems(page, allowedStatuses = [], { javaScriptEnabled = true } = {}) {
  const problems = [];
  const expectedStatus = (text) =>
    allowedStatuses.some((status) => text.includes(`status of ${status} `));
  page.on("console", (message) => {
    if (message.type() === "error" && !expectedStatus(message.text())) {
      problems.push(`console: ${message.text()}`);
    }
  });
  page.on("pageerror", (error) => problems.push(`exception: ${error.message}`));
  page.on("requestfailed", (request) => {
    const reason = request.failure()?.errorText;
    const scriptRefused = !javaScriptEnabled && reason === "csp" && request.url().endsWith(".js");
    // The browser cancels what is still loading (the favicon, say) when the page navigates:
    // a cancellation, not a failure.
    const cancelled = reason === "net::ERR_ABORTED";
    if (!scriptRefused && !cancelled) problems.push(`failed: ${request.url()} ${reason}`);
  });
  page.on("response", (response) => {
    if (response.status() >= 400 && !allowedStatuses.includes(response.status())) {
      problems.push(`HTTP ${response.status()}: ${response.url()}`);
    }
  });
  return problems;
}

/** Signs in through the form, as a person does. */
export async function signIn(page, base, login, password = DEMO_PASSWORD) {
  await page.goto(`${base}/connexion`);
  await page.getByLabel("Identifiant").fill(login);
  await page.locator("#password").fill(password);
  await Promise.all([
    page.waitForURL((url) => !url.pathname.startsWith("/connexion")),
    page.getByRole("button", { name: "Se connecter" }).click(),
  ]);
}

/**
 * Waits until the islands of the page (if any) are interactive. A page without islands must not
 * load the WASM bundle at all: no script, no preload. Returns the number of islands.
 */
export async function waitForIslands(page) {
  const islands = await page.locator("leptos-island").count();
  if (islands > 0) {
    await page.waitForSelector("html[data-hydrated='true']", { timeout: 15_000 });
  } else {
    // The « à faire » page's small offline script and the header's live count of notifications
    // are no islands and load no WASM.
    const loaders = await page
      .locator(
        "script:not([src='/hors-ligne.js']):not([src='/notifications.js']), link[rel='modulepreload'], link[as='fetch']",
      )
      .count();
    if (loaders > 0) throw new Error(`a page without islands loads scripts: ${page.url()}`);
  }
  return islands;
}

/** A phone of the school: what mobile-first pages are checked on. */
export const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

/**
 * One demo server and one browser for the test file: started before its first test, stopped
 * after its last. Use `demo.server` and `demo.browser` inside tests.
 */
export function useDemo() {
  const demo = { server: undefined, browser: undefined };
  before(async () => {
    demo.server = await startServer();
    demo.browser = await launchBrowser();
  });
  after(async () => {
    await demo.browser?.close();
    await demo.server?.stop();
  });
  return demo;
}
