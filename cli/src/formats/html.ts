/**
 * A single self-contained HTML page a platform team can put on a screen: the fleet summary, a chart
 * of verdicts per cloud and version, a sortable table and each cluster's findings with the vendor's
 * text and what to do. Everything is in the file (styles, script, data); its Content-Security-Policy
 * forbids every fetch, so the page works offline and leaks nothing. The content is rendered here, not
 * by the script: the page reads the same without JavaScript, which only sorts the table.
 */
import { type Finding, minorOf } from "@upgrade-guard/provider";
import { type ClusterReport, type Report } from "../report-schema";
import { checkIdOf, nameOf, reasonsOf, summaryLine, verdictOf, versionsOf } from "./common";
import { escapeXml as h } from "./xml";

/** Chart segments, in order; each verdict has one colour everywhere on the page. */
const VERDICTS = ["ready", "blocked", "upgrading", "pending", "stale", "unknown", "error"] as const;
const COLOR: Readonly<Record<(typeof VERDICTS)[number], string>> = {
  ready: "#2e7d32",
  blocked: "#c62828",
  upgrading: "#6a1b9a",
  pending: "#1565c0",
  stale: "#ef6c00",
  unknown: "#757575",
  error: "#37474f",
};

const CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px;color:#1b1b1b;background:#fafafa}
h1{margin:0 0 4px}h2{margin:28px 0 8px}h3{margin:18px 0 6px}
.meta{color:#555}
.tiles{display:flex;gap:12px;margin:16px 0}
.tile{background:#fff;border:1px solid #ddd;border-radius:8px;padding:10px 16px;min-width:110px}
.tile b{display:block;font-size:28px}
.tile.safe b{color:${COLOR.ready}}.tile.blocked b{color:${COLOR.blocked}}.tile.undecided b{color:${COLOR.stale}}
table{border-collapse:collapse;background:#fff;width:100%}
#clusters td{white-space:nowrap}.scroll{overflow-x:auto}
th,td{border-bottom:1px solid #e4e4e4;padding:6px 8px;text-align:left;vertical-align:top}
th{cursor:pointer;user-select:none;background:#f0f0f0;white-space:nowrap}
th[aria-sort=ascending]::after{content:" \\25B2"}th[aria-sort=descending]::after{content:" \\25BC"}
.verdict{font-weight:600;border-radius:4px;padding:1px 6px;color:#fff}
${VERDICTS.map((v) => `.v-${v}{background:${COLOR[v]}}`).join("")}
.legend span{display:inline-block;margin-right:14px}.legend i{display:inline-block;width:10px;height:10px;margin-right:4px;border-radius:2px}
.cluster{background:#fff;border:1px solid #ddd;border-radius:8px;padding:4px 16px 12px;margin:12px 0}
.sev-fatal{color:${COLOR.blocked};font-weight:600}.sev-warning{color:${COLOR.stale};font-weight:600}.sev-unknown{color:${COLOR.unknown};font-weight:600}
code{font-size:12px}`;

// Sorts by the clicked column (numbers as numbers, `data-sort` when a cell has one); `#sort=column`
// or `#sort=-column` in the address sorts at load, so a sorted view can be linked.
const SCRIPT = `
(function(){
  var table=document.getElementById("clusters");if(!table)return;
  var body=table.tBodies[0];var heads=table.tHead.rows[0].cells;
  function key(row,i){var c=row.cells[i];var v=c.getAttribute("data-sort");v=v===null?c.textContent.trim():v;var n=Number(v);return v!==""&&!isNaN(n)?n:v.toLowerCase();}
  function sort(i,dir){
    var rows=Array.prototype.slice.call(body.rows);
    rows.sort(function(a,b){var x=key(a,i),y=key(b,i);return (x<y?-1:x>y?1:0)*dir;});
    rows.forEach(function(r){body.appendChild(r);});
    for(var j=0;j<heads.length;j++)heads[j].removeAttribute("aria-sort");
    heads[i].setAttribute("aria-sort",dir>0?"ascending":"descending");
  }
  for(var i=0;i<heads.length;i++)(function(i){heads[i].addEventListener("click",function(){sort(i,heads[i].getAttribute("aria-sort")==="ascending"?-1:1);});})(i);
  var m=/sort=(-?)([a-z]+)/.exec(location.hash);
  if(m)for(var k=0;k<heads.length;k++)if(heads[k].getAttribute("data-column")===m[2])sort(k,m[1]==="-"?-1:1);
})();`;

function groupOf(row: ClusterReport): string {
  const current = row.readiness?.currentVersion;
  const minor = current === undefined ? undefined : minorOf(current);
  return `${row.cloud} ${minor ?? current ?? "unknown version"}`;
}

/** Stacked bars, one per cloud and current minor version, one segment per verdict. */
function chart(report: Report): string {
  const groups = new Map<string, Map<string, number>>();
  for (const row of report.clusters) {
    const counts = groups.get(groupOf(row)) ?? new Map<string, number>();
    counts.set(verdictOf(row), (counts.get(verdictOf(row)) ?? 0) + 1);
    groups.set(groupOf(row), counts);
  }
  const sorted = [...groups.entries()].sort(([a], [b]) => a.localeCompare(b));
  const labelWidth = 140;
  const barWidth = 560;
  const barHeight = 22;
  const max = Math.max(1, ...sorted.map(([, counts]) => [...counts.values()].reduce((a, b) => a + b, 0)));
  const bars = sorted.map(([group, counts], index) => {
    const y = index * (barHeight + 10);
    let x = labelWidth;
    const segments = VERDICTS.filter((v) => (counts.get(v) ?? 0) > 0).map((verdict) => {
      const count = counts.get(verdict) ?? 0;
      const width = (count / max) * barWidth;
      const segment =
        `<g class="segment" data-group="${h(group)}" data-verdict="${verdict}" data-count="${count}">` +
        `<rect x="${x.toFixed(1)}" y="${y}" width="${width.toFixed(1)}" height="${barHeight}" fill="${COLOR[verdict]}"><title>${h(group)}: ${count} ${verdict}</title></rect>` +
        (width >= 18
          ? `<text x="${(x + width / 2).toFixed(1)}" y="${y + 15}" fill="#fff" font-size="12" text-anchor="middle">${count}</text>`
          : "") +
        `</g>`;
      x += width;
      return segment;
    });
    return `<text x="0" y="${y + 15}" font-size="13">${h(group)}</text>${segments.join("")}`;
  });
  const height = Math.max(1, sorted.length) * (barHeight + 10);
  const legend = VERDICTS.map((v) => `<span><i style="background:${COLOR[v]}"></i>${v}</span>`).join("");
  return `<svg id="chart" role="img" aria-label="Clusters per verdict, by cloud and version" width="${labelWidth + barWidth + 10}" height="${height}" xmlns="http://www.w3.org/2000/svg">${bars.join("")}</svg><div class="legend">${legend}</div>`;
}

function anchor(row: ClusterReport): string {
  return `cluster-${row.cloud}-${row.clusterId}`.replace(/[^A-Za-z0-9_-]/g, "-");
}

function clusterTable(report: Report): string {
  const columns = [
    ["cloud", "Cloud"],
    ["cluster", "Cluster"],
    ["current", "Current"],
    ["target", "Target"],
    ["verdict", "Verdict"],
    ["worst", "Worst"],
    ["blocking", "Blocking"],
    ["warnings", "Warnings"],
    ["check", "Check"],
  ] as const;
  const head = columns.map(([key, label]) => `<th data-column="${key}" scope="col">${label}</th>`).join("");
  const rows = report.clusters.map((row) => {
    const { current, target } = versionsOf(row);
    const verdict = verdictOf(row);
    const cells = [
      h(row.cloud),
      `<a href="#${anchor(row)}">${h(nameOf(row))}</a>`,
      h(current),
      h(target),
      `<span class="verdict v-${h(verdict)}">${h(verdict)}</span>`,
      h(row.readiness?.worstSeverity ?? "-"),
      String(row.readiness?.blocking.length ?? "-"),
      String(row.readiness?.warnings.length ?? "-"),
      `<code>${h(checkIdOf(row))}</code>`,
    ];
    return `<tr data-outcome="${row.outcome}" data-cluster-id="${h(row.clusterId)}">${cells.map((c) => `<td>${c}</td>`).join("")}</tr>`;
  });
  return `<div class="scroll"><table id="clusters"><thead><tr>${head}</tr></thead><tbody>${rows.join("")}</tbody></table></div>`;
}

function affectedText(finding: Finding): string {
  const a = finding.affected;
  return [
    ...(a.nodes ?? []).map((n) => `node ${n}`),
    ...(a.nodePools ?? []).map((n) => `node pool ${n}`),
    ...(a.addons ?? []).map((n) => `add-on ${n}`),
    ...(a.deprecatedApis ?? []).map((n) => `API ${n}`),
    ...(a.configurations ?? []).map((c) => `${c.package ?? ""} ${c.field ?? ""}`.trim()),
  ].join(", ");
}

function findingRows(findings: readonly Finding[], blocks: boolean): string {
  return findings
    .map(
      (f) =>
        `<tr data-blocks="${blocks}"><td class="sev-${h(f.severity)}">${h(f.vendorLevel ?? f.severity)}</td><td>${h(f.checkName)}</td><td>${h(f.group ?? "")}</td><td>${h(f.message ?? "")}</td><td>${h(affectedText(f))}</td><td>${blocks ? "blocks" : "does not block"}</td></tr>`,
    )
    .join("");
}

function clusterSection(row: ClusterReport): string {
  const { current, target } = versionsOf(row);
  const findings = row.readiness === undefined ? [] : [...row.readiness.blocking, ...row.readiness.warnings];
  const table =
    findings.length === 0
      ? ""
      : `<table class="findings"><thead><tr><th>Level</th><th>Check item</th><th>Group</th><th>Vendor text</th><th>Affects</th><th></th></tr></thead><tbody>${findingRows(row.readiness?.blocking ?? [], true)}${findingRows(row.readiness?.warnings ?? [], false)}</tbody></table>`;
  const reasons = reasonsOf(row)
    .map((reason) => `<li>${h(reason)}</li>`)
    .join("");
  return `<section class="cluster" id="${anchor(row)}" data-outcome="${row.outcome}"><h3>${h(row.cloud)} ${h(nameOf(row))} <span class="verdict v-${h(verdictOf(row))}">${h(verdictOf(row))}</span></h3><div class="meta">${h(row.clusterId)} · ${h(current)} → ${h(target)}</div>${table}<h4>What it means and what to do</h4><ul>${reasons}</ul></section>`;
}

export function renderHtml(report: Report): string {
  const { total, safe, blocked, undecided } = report.summary;
  const tile = (key: string, label: string, value: number) =>
    `<div class="tile ${key}" data-count="${key}"><b>${value}</b>${label}</div>`;
  // The data, for anyone who wants it from the page; `<` escaped so no text can close the script.
  const data = JSON.stringify(report).replace(/</g, "\\u003c");
  const notSafe = report.clusters.filter((row) => row.outcome !== "safe");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Upgrade readiness: ${safe} of ${total} safe</title>
<style>${STYLE}</style></head>
<body>
<h1>Upgrade readiness</h1>
<div class="meta">upgrade-guard ${h(report.tool.version)} · generated ${h(report.generatedAt)} · fails on ${h(report.failOn)} · ${h(summaryLine(report))}</div>
<div class="tiles">${tile("total", "clusters", total)}${tile("safe", "safe to upgrade", safe)}${tile("blocked", "blocked", blocked)}${tile("undecided", "undecided", undecided)}</div>
<h2>Verdicts by cloud and version</h2>
${chart(report)}
<h2>Clusters</h2>
${clusterTable(report)}
<h2>Clusters not safe to upgrade (${notSafe.length})</h2>
${notSafe.map(clusterSection).join("\n")}
<h2>Safe to upgrade (${safe})</h2>
${report.clusters
  .filter((row) => row.outcome === "safe")
  .map(clusterSection)
  .join("\n")}
<script type="application/json" id="report-data">${data}</script>
<script>${SCRIPT}</script>
</body></html>
`;
}
