// Open chapters of the built book from the disk in Debian's Firefox ESR (puppeteer-core over WebDriver
// BiDi; no browser download) and drive the main explorer as a reader would. Used by tests/test_engines.py.
//
//   node tests/js/firefox_book.mjs SITE_FOLDER [dark]   ->   JSON on stdout: what each chapter showed
//
// Per chapter: every page error and console error; whether the formulas were typeset and the stills in
// place before any widget script; then (widgets asked for) every explorer live. In chapter 05 the
// loss-curve explorer's status line after each action: at the start, one ArrowRight on b3, Step, Reset.
import { pathToFileURL } from "node:url";
import path from "node:path";
import puppeteer from "puppeteer-core";

const [site, scheme] = process.argv.slice(2);
const LOSS = ".loss-curve-explorer";
const CHAPTERS = ["05_optimizing_b3", "01_network_and_cross_entropy"];

const browser = await puppeteer.launch({
  browser: "firefox",
  protocol: "webDriverBiDi",
  executablePath: process.env.FIREFOX ?? "/usr/bin/firefox-esr",
  headless: true,
  extraPrefsFirefox: {
    // puppeteer turns this off; readers have it on (a page may not read other files of the disk)
    "security.fileuri.strict_origin_policy": true,
    ...(scheme === "dark" ? { "ui.systemUsesDarkTheme": 1, "layout.css.prefers-color-scheme.content-override": 0 } : {}),
  },
});
const results = {};
try {
  for (const chapter of CHAPTERS) {
    const page = await browser.newPage();
    await page.setViewport({ width: 1300, height: 900 });
    const errors = [];
    page.on("pageerror", (error) => errors.push(String(error.message ?? error)));
    page.on("console", (message) => message.type() === "error" && errors.push(message.text()));
    page.on("requestfailed", (request) => errors.push(`failed: ${request.url()}`));
    // warnings too: ajv's "strict mode: use allowUnionTypes" came from the old widget manager's schema
    page.on("console", (message) => message.type() === "warn" && /strict mode|schema/i.test(message.text()) && errors.push(message.text()));
    await page.evaluateOnNewDocument(process.env.PAGE_ERRORS ?? ""); // window errors, failed loads (tests/browser.py)
    await page.goto(pathToFileURL(path.join(site, `${chapter}.html`)).href, { waitUntil: "load" });
    const first = await page.evaluate(() => ({
      untypeset: document.querySelectorAll(".math:not(:has(mjx-container))").length,
      formulas: document.querySelectorAll(".math").length,
      stills: document.querySelectorAll(".widget-still picture img").length,
      theme: document.documentElement.dataset.theme,
    }));
    await page.evaluate(() => window.bookWidgetsNow());
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll(".widget-still")].every((still) => still.classList.contains("widget-live")) &&
        [...document.querySelectorAll(".overlay-root")].every((root) => root.dataset.frames),
      { timeout: 60_000, polling: 100 },
    );
    const result = { ...first, explorers: await page.$$eval(".overlay-root", (roots) => roots.length), statuses: [] };
    if (chapter === "05_optimizing_b3") {
      const status = () => page.$eval(`${LOSS} .loss-status`, (node) => node.innerText.split(/\s+/).join(" "));
      const settle = () => new Promise((resolve) => setTimeout(resolve, 300));
      result.statuses.push(await status());
      await page.focus(`${LOSS} .control-b3 .noUi-handle`);
      await page.keyboard.press("ArrowRight");
      await settle();
      result.statuses.push(await status());
      await page.click(`${LOSS} .overlay-buttons button:first-child`); // Step
      await settle();
      result.statuses.push(await status());
      const reset = await page.$$(`${LOSS} .overlay-buttons button`);
      await reset[2].click();
      await settle();
      result.statuses.push(await status());
      // on a phone the stage is shrunk: its canvas is drawn at the size shown (one pixel per device pixel)
      await page.setViewport({ width: 412, height: 900 });
      await page.waitForFunction((loss) => document.querySelector(`${loss} .overlay-stage`).style.transform !== "", {}, LOSS);
      await settle();
      result.crisp = await page.$eval(`${LOSS} .overlay-canvas`, (canvas) => ({
        backing: canvas.width,
        shown: Math.round(canvas.getBoundingClientRect().width * devicePixelRatio),
        scaled: canvas.getBoundingClientRect().width < canvas.offsetWidth,
      }));
    }
    result.errors = [...errors, ...(await page.evaluate(() => window.PAGE_ERRORS ?? []))];
    results[chapter] = result;
    await page.close();
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(results));
