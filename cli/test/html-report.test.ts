// The HTML report in a real headless Chromium (Debian's `chromium`, driven by playwright-core): the
// page makes no request but its own file, its numbers match the JSON report of the same emulator,
// the table sorts, each blocked cluster shows its findings with the vendor's text, and a screenshot
// is taken (test-results/html-report.png). Chromium is installed by .ci/run (apt-get install chromium).
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { clientEnvironment, startEmulator, type RunningEmulator } from "@upgrade-guard/emulator";
import { chromium, type Browser } from "playwright-core";
import { EXIT, reportSchema, run, type Report } from "../src/index";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const SCREENSHOT = path.join(__dirname, "..", "..", "test-results", "html-report.png");

let emulator: RunningEmulator;
let browser: Browser;
let report: Report;
let htmlFile: string;

async function cli(args: string[]): Promise<{ code: number; stdout: string }> {
  let stdout = "";
  const code = await run([...args, "-q"], {
    env: { PATH: process.env.PATH, ...clientEnvironment(emulator.url) },
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: () => true },
  });
  return { code, stdout };
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `no Chromium at ${CHROMIUM}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`,
    );
  }
  emulator = await startEmulator({});
  report = reportSchema.parse(JSON.parse((await cli(["report", "-o", "json"])).stdout));
  htmlFile = path.join(mkdtempSync(path.join(tmpdir(), "ug-html-")), "report.html");
  expect((await cli(["report", "-o", "html", "--output-file", htmlFile])).code).toBe(EXIT.ready);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await emulator?.close();
});

describe("the HTML report in headless Chromium", () => {
  it("loads with no request but its own file and no console error, and is screenshotted", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const requests: string[] = [];
    const problems: string[] = [];
    page.on("request", (request) => requests.push(request.url()));
    page.on("console", (message) => {
      if (message.type() === "error" || message.type() === "warning") problems.push(message.text());
    });
    page.on("pageerror", (error) => problems.push(error.message));
    await page.goto(pathToFileURL(htmlFile).href);
    expect(requests).toEqual([pathToFileURL(htmlFile).href]);
    expect(problems).toEqual([]);
    mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    const png = readFileSync(SCREENSHOT);
    expect(png.subarray(1, 4).toString()).toBe("PNG");
    expect(png.readUInt32BE(16)).toBe(1280); // the IHDR width
    await page.close();
  });

  it("shows the JSON report's numbers: tiles, chart segments and table rows", async () => {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(htmlFile).href);
    const tiles = await page.$$eval(".tile", (nodes) =>
      Object.fromEntries(
        nodes.map((n) => [n.getAttribute("data-count"), Number(n.querySelector("b")?.textContent)]),
      ),
    );
    const { total, safe, blocked, undecided } = report.summary;
    expect(tiles).toEqual({ total, safe, blocked, undecided });

    const segments = await page.$$eval("#chart .segment", (nodes) =>
      nodes.map((n) => ({
        verdict: n.getAttribute("data-verdict") ?? "",
        count: Number(n.getAttribute("data-count")),
      })),
    );
    const perVerdict: Record<string, number> = {};
    for (const s of segments) perVerdict[s.verdict] = (perVerdict[s.verdict] ?? 0) + s.count;
    const expected = Object.fromEntries(Object.entries(report.summary.verdicts).filter(([, n]) => n > 0));
    expect(perVerdict).toEqual(expected);

    const rows = await page.$$eval("#clusters tbody tr", (trs) =>
      trs.map((tr) => ({
        id: tr.getAttribute("data-cluster-id"),
        verdict: tr.querySelector(".verdict")?.textContent,
      })),
    );
    expect(rows).toEqual(
      report.clusters.map((c) => ({ id: c.clusterId, verdict: c.readiness?.verdict ?? "error" })),
    );
    await page.close();
  });

  it("sorts the table by a clicked column, both ways, and by #sort= at load", async () => {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(htmlFile).href);
    const names = () =>
      page.$$eval("#clusters tbody tr td:nth-child(2)", (tds) => tds.map((td) => td.textContent ?? ""));
    const byName = report.clusters
      .map((c) => c.readiness?.clusterName ?? c.cluster)
      .sort((a, b) => a.localeCompare(b));
    await page.click('th[data-column="cluster"]');
    expect(await names()).toEqual(byName);
    expect(await page.getAttribute('th[data-column="cluster"]', "aria-sort")).toBe("ascending");
    await page.click('th[data-column="cluster"]');
    expect(await names()).toEqual([...byName].reverse());
    await page.goto(`${pathToFileURL(htmlFile).href}#sort=-blocking`);
    await page.reload();
    const blocking = await page.$$eval("#clusters tbody tr td:nth-child(7)", (tds) =>
      tds.map((td) => Number(td.textContent)),
    );
    expect(blocking).toEqual([...blocking].sort((a, b) => b - a));
    expect(blocking[0]).toBeGreaterThan(0);
    await page.close();
  });

  it("lists each blocked cluster's findings with the vendor's text and what to do", async () => {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(htmlFile).href);
    for (const cluster of report.clusters.filter(
      (c) => c.outcome === "blocked" && (c.readiness?.blocking.length ?? 0) > 0,
    )) {
      const section = page.locator(`section.cluster[data-outcome="blocked"]`, { hasText: cluster.clusterId });
      const text = await section.innerText();
      for (const finding of cluster.readiness?.blocking ?? []) {
        expect(text).toContain(finding.checkName);
        if (finding.message !== undefined) expect(text).toContain(finding.message.trim().slice(0, 60));
      }
      expect(text).toContain("What it means and what to do");
      expect(text).toContain("fix it and run the check again");
    }
    await page.close();
  });
});
