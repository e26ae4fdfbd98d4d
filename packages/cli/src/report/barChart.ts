// A horizontal bar chart as inline SVG, drawn here rather than in the browser so the page needs
// no script: one row per item with its label, its bar and its value, a tooltip on each bar, and
// the same numbers in a table for screen readers and for copying.
import { formatCount, niceScale } from './chartScale';
import { escapeHtml, shorten } from './htmlText';

export interface BarRow {
  label: string;
  value: number;
  color: string;
  /** Extra words for the tooltip and the table, such as "max risk 91". */
  note?: string | undefined;
  /** Shown instead of the value, such as "≤ 41" for an estimate. */
  valueText?: string | undefined;
}

export interface BarChartSpec {
  /** Unique in the page: ids of the SVG title and description derive from it. */
  id: string;
  title: string;
  description: string;
  /** What a value counts, for the table header: "Findings". */
  unit: string;
  /** Header of the label column of the table: "Category". */
  labelHeader: string;
  rows: readonly BarRow[];
  /** Characters of a label drawn in the chart; the full label is in the tooltip and the table. */
  labelChars?: number;
}

const WIDTH = 720;
const LABEL_WIDTH = 260;
const VALUE_WIDTH = 70;
const ROW = 22;
const BAR = 15;
const AXIS = 22;

export function barChart(spec: BarChartSpec): string {
  const e = escapeHtml;
  const max = Math.max(0, ...spec.rows.map((r) => r.value));
  const { top, step } = niceScale(max);
  const plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
  const height = spec.rows.length * ROW + AXIS + 4;
  const x = (v: number): number => LABEL_WIDTH + (v / top) * plot;
  const parts: string[] = [];
  for (let v = 0; v <= top; v += step) {
    const gx = x(v).toFixed(1);
    parts.push(`<line class="grid" x1="${gx}" x2="${gx}" y1="0" y2="${spec.rows.length * ROW}"/>`);
    parts.push(`<text class="tick" x="${gx}" y="${spec.rows.length * ROW + 15}" text-anchor="middle">${formatCount(v)}</text>`);
  }
  spec.rows.forEach((r, i) => {
    const y = i * ROW;
    const label = shorten(r.label, spec.labelChars ?? 34);
    const valueText = r.valueText ?? formatCount(r.value);
    const tip = `${r.label}: ${valueText} ${spec.unit.toLowerCase()}${r.note ? ` (${r.note})` : ''}`;
    parts.push(`<text class="label" x="${LABEL_WIDTH - 8}" y="${y + BAR - 2}" text-anchor="end">${e(label)}<title>${e(r.label)}</title></text>`);
    if (r.value > 0) {
      const w = Math.max(1, x(r.value) - LABEL_WIDTH).toFixed(1);
      parts.push(`<rect class="bar" x="${LABEL_WIDTH}" y="${y + 2}" width="${w}" height="${BAR}" fill="${e(r.color)}"><title>${e(tip)}</title></rect>`);
    }
    parts.push(`<text class="value" x="${(x(r.value) + 6).toFixed(1)}" y="${y + BAR - 2}">${e(valueText)}</text>`);
  });
  const svg =
    `<svg class="chart" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" ` +
    `aria-labelledby="${spec.id}-title ${spec.id}-desc" data-chart="${spec.id}">` +
    `<title id="${spec.id}-title">${e(spec.title)}</title><desc id="${spec.id}-desc">${e(spec.description)}</desc>` +
    parts.join('') +
    `</svg>`;
  const table =
    `<table><thead><tr><th scope="col">${e(spec.labelHeader)}</th><th scope="col">${e(spec.unit)}</th><th scope="col">Notes</th></tr></thead><tbody>` +
    spec.rows.map((r) => `<tr><td>${e(r.label)}</td><td class="num">${e(r.valueText ?? formatCount(r.value))}</td><td>${e(r.note ?? '')}</td></tr>`).join('') +
    `</tbody></table>`;
  return figure(spec.id, spec.title, spec.description, svg, table, spec.rows.length === 0);
}

/** A chart with its caption and its table; an empty chart says so instead of drawing axes. */
export function figure(id: string, title: string, description: string, svg: string, table: string, empty: boolean): string {
  const e = escapeHtml;
  const body = empty ? `<p class="empty">Nothing to chart: no findings in this view.</p>` : `${svg}<details><summary>Table of “${e(title)}”</summary>${table}</details>`;
  return `<figure id="${id}"><figcaption><h3>${e(title)}</h3><p class="note">${e(description)}</p></figcaption>${body}</figure>`;
}
