/** The output formats: one report object (report-schema.ts), rendered as each reader needs it. */
import { stringify } from "yaml";
import { type Report } from "../report-schema";
import { renderHtml } from "./html";
import { renderJunit } from "./junit";
import { renderMarkdown } from "./markdown";
import { renderSarif, type SarifSource } from "./sarif";
import { renderTable } from "./table";

export const OUTPUT_FORMATS = [
  "table",
  "wide",
  "json",
  "yaml",
  "markdown",
  "junit",
  "sarif",
  "html",
] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export interface RenderOptions {
  /** ANSI colour (a terminal that did not opt out); only the table formats use it. */
  readonly color: boolean;
  /** The file SARIF results point at (default `Pulumi.yaml`, no line). */
  readonly sarifSource?: SarifSource;
}

/** The report in `format`, ending with a newline. */
export function render(report: Report, format: OutputFormat, options: RenderOptions): string {
  switch (format) {
    case "table":
      return `${renderTable(report, { ...options, wide: false })}\n`;
    case "wide":
      return `${renderTable(report, { ...options, wide: true })}\n`;
    case "json":
      return `${JSON.stringify(report, null, 2)}\n`;
    case "yaml":
      // No anchors: a finding listed under both `findings` and `blocking` is written out twice.
      return stringify(report, { aliasDuplicateObjects: false, lineWidth: 0 });
    case "markdown":
      return renderMarkdown(report);
    case "junit":
      return renderJunit(report);
    case "sarif":
      return `${JSON.stringify(renderSarif(report, options.sarifSource), null, 2)}\n`;
    case "html":
      return renderHtml(report);
  }
}
