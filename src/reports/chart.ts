/**
 * The report's chart as a PNG: on-time share per organization and the 12-month trend. Vega-Lite is
 * compiled to Vega, rendered to SVG without a browser, and rasterised by resvg with a bundled
 * Cyrillic font (DejaVu Sans), so the picture is the same on any machine, fonts installed or not.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import type { TopLevelSpec } from "vega-lite";
import { type MonthlyReport, percent } from "./figures.js";
import { monthLabel } from "./month.js";

const FONT_FAMILY = "DejaVu Sans";
const FONT_FILES = ["dejavu-fonts-ttf/ttf/DejaVuSans.ttf", "dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf"];

let fonts: string[] | undefined;

/** Paths of the bundled font files; none when the package is missing (resvg then uses system fonts). */
function fontFiles(): string[] {
  if (fonts) return fonts;
  const require = createRequire(import.meta.url);
  fonts = FONT_FILES.flatMap((file) => {
    try {
      const path = require.resolve(file);
      return existsSync(path) ? [path] : [];
    } catch {
      return [];
    }
  });
  return fonts;
}

export function chartSpec(report: MonthlyReport): TopLevelSpec {
  // Of the answer deadlines of the month, as the text's «сроков ответа соблюдено»: an organization
  // that let its answers' deadlines pass without posting any has its bar, at 0%.
  const organizations = report.organizations
    .filter((org) => org.answerDeadlines.total > 0)
    .map((org) => ({
      name: org.name,
      share: percent(org.answerDeadlines.onTime, org.answerDeadlines.total),
    }));
  const trend = report.trend.map((h) => ({
    month: monthLabel(h.month),
    share: percent(h.answeredOnTime, h.answered),
  }));
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    background: "white",
    padding: 16,
    config: { font: FONT_FAMILY, title: { fontSize: 15 }, axis: { labelFontSize: 11, titleFontSize: 12 } },
    vconcat: [
      {
        title: `Сроки ответа соблюдены по органам, ${monthLabel(report.month)}`,
        width: 560,
        height: { step: 24 },
        data: {
          values: organizations.length > 0 ? organizations : [{ name: "нет сроков ответа", share: 0 }],
        },
        mark: { type: "bar", color: "#2f6fb0" },
        encoding: {
          y: { field: "name", type: "nominal", sort: "-x", title: null, axis: { labelLimit: 220 } },
          x: { field: "share", type: "quantitative", title: "% сроков ответа", scale: { domain: [0, 100] } },
        },
      },
      {
        title: "Ответы в срок за 12 месяцев, %",
        width: 560,
        height: 200,
        data: { values: trend },
        mark: { type: "line", point: true, color: "#c0392b" },
        encoding: {
          x: { field: "month", type: "ordinal", sort: null, title: null, axis: { labelAngle: -45 } },
          y: { field: "share", type: "quantitative", title: "% в срок", scale: { domain: [0, 100] } },
        },
      },
    ],
  };
}

/**
 * The charting libraries are loaded on the first report, not at start: they are large, and the
 * bot answers updates for weeks between two monthly reports.
 */
export async function chartSvg(report: MonthlyReport): Promise<string> {
  const [{ parse, View }, { compile }] = await Promise.all([import("vega"), import("vega-lite")]);
  const view = new View(parse(compile(chartSpec(report)).spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Twice the drawing's size, so that text stays sharp on a phone's screen… */
const ZOOM = 2;
/**
 * …but no more than about 2 megapixels (an 8 MB bitmap): resvg holds the picture two or three
 * times over while rendering and encoding it, and a month with many organizations draws a tall
 * chart. Up to about 15 organizations the chart keeps the full zoom.
 */
const MAX_PIXELS = 2_000_000;

/** The zoom for an SVG, from the width and height vega writes on its root element. */
export function chartZoom(svg: string): number {
  const root = /<svg\b[^>]*>/.exec(svg)?.[0] ?? "";
  const width = Number(/\bwidth="([\d.]+)"/.exec(root)?.[1]);
  const height = Number(/\bheight="([\d.]+)"/.exec(root)?.[1]);
  const area = width * height;
  return area > 0 ? Math.min(ZOOM, Math.sqrt(MAX_PIXELS / area)) : ZOOM;
}

export async function reportChart(report: MonthlyReport): Promise<Buffer> {
  const svg = await chartSvg(report);
  const files = fontFiles();
  const { Resvg } = await import("@resvg/resvg-js");
  const resvg = new Resvg(svg, {
    fitTo: { mode: "zoom", value: chartZoom(svg) },
    font: {
      fontFiles: files,
      loadSystemFonts: files.length === 0,
      defaultFontFamily: FONT_FAMILY,
      sansSerifFamily: FONT_FAMILY,
    },
  });
  return Buffer.from(resvg.render().asPng());
}
