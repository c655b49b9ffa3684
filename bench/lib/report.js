/**
 * The one table and JSON helper every benchmark shares. A bench builds rows
 * `{ measure, ours, baseline, ratio, target, met }` (the first five as printed; `values` holds the
 * numbers), prints them with `table`, and `writeResults` writes them to bench/results/<name>.json
 * (git-ignored) after comparing them with the file the last run left there.
 */
"use strict";
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const RESULTS_DIR = path.join(__dirname, "..", "results");

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Min and median of repeated measurements (ratios use the medians). */
const stats = (values) => ({ min: Math.min(...values), median: median(values), runs: values });

/** `--name <number>` from argv, or `fallback`. */
function option(args, name, fallback) {
  const at = args.indexOf(`--${name}`);
  if (at < 0) return fallback;
  const value = Number(args[at + 1]);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} needs a positive number`);
  return value;
}

/** "median (min x)" with `format` applied to both. */
const minMed = (s, format) => `${format(s.median)} (min ${format(s.min)})`;

const met = (ok) => (ok ? "met" : "MISSED");

/** A markdown table: measure | ours | baseline | ratio | target | met. */
function table(rows) {
  const header = ["measure", "ours", "baseline", "ratio", "target", ""];
  const cells = rows.map((r) => [r.measure, r.ours, r.baseline, r.ratio, r.target, r.met ?? ""]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => String(c[i]).length)));
  const line = (c) => `| ${c.map((v, i) => String(v).padEnd(widths[i])).join(" | ")} |`;
  return [line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...cells.map(line)].join("\n");
}

const resultsFile = (name) => path.join(RESULTS_DIR, `${name}.json`);

/** The last run's results of bench `name`, or undefined. */
function readResults(name) {
  try {
    return JSON.parse(fs.readFileSync(resultsFile(name), "utf8"));
  } catch {
    return undefined;
  }
}

/** Lines comparing each row's median ratio (or ours) with the same row of the last run. */
function compare(rows, last) {
  if (last === undefined || !Array.isArray(last.rows)) return [];
  const before = new Map(last.rows.map((r) => [r.measure, r]));
  const lines = [];
  for (const row of rows) {
    const old = before.get(row.measure);
    const now = row.values?.ratio ?? row.values?.ours;
    const then = old?.values?.ratio ?? old?.values?.ours;
    if (typeof now === "number" && typeof then === "number" && then !== 0)
      lines.push(`  ${row.measure}: ${(now / then).toFixed(2)}x the last run (${fmt(then)} -> ${fmt(now)})`);
  }
  return lines.length === 0 ? [] : [`against the last run (${last.generatedAt}):`, ...lines];
}
const fmt = (n) => (Math.abs(n) >= 100 ? n.toFixed(0) : n.toPrecision(3));

/**
 * Writes `{ generatedAt, machine, settings, rows, ...extra }` to bench/results/<name>.json, printing
 * the comparison with the previous file first. Returns the comparison lines.
 */
function writeResults(name, { settings = {}, rows, extra = {}, print = console.log }) {
  const lines = compare(rows, readResults(name));
  for (const line of lines) print(line);
  const results = {
    ...extra,
    generatedAt: new Date().toISOString(),
    machine: { cpus: os.cpus().length, node: process.version },
    settings,
    rows,
  };
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  fs.writeFileSync(resultsFile(name), `${JSON.stringify(results, null, 2)}\n`);
  print(`results written to bench/results/${name}.json`);
  return lines;
}

module.exports = {
  RESULTS_DIR,
  compare,
  median,
  met,
  minMed,
  option,
  readResults,
  stats,
  table,
  writeResults,
};
