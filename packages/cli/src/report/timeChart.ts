// Findings over time as inline SVG: one column per time bucket, stacked by severity (critical on
// top, where the eye lands), a y axis of round counts and a few time labels in UTC.
import { figure } from './barChart';
import { formatBucketTime, formatCount, formatWidth, niceScale } from './chartScale';
import { escapeHtml } from './htmlText';
import { SEVERITY_COLORS, SEVERITY_NAMES } from './palette';
import type { TimeSeries } from './timeHistogram';

const WIDTH = 720;
const HEIGHT = 260;
const LEFT = 48;
const RIGHT = 8;
const TOP = 10;
const BOTTOM = 42;
const X_LABELS = 6;
/** Half the width of the longest time label ("2024-05-01", "05-01 12:00") at the tick font size. */
const LABEL_HALF_WIDTH = 36;

export function timeChart(id: string, series: TimeSeries): string {
  const e = escapeHtml;
  const n = series.counts.length;
  const totals = series.counts.map((c) => c[0] + c[1] + c[2] + c[3]);
  const { top, step } = niceScale(Math.max(0, ...totals));
  const plotW = WIDTH - LEFT - RIGHT;
  const plotH = HEIGHT - TOP - BOTTOM;
  const slot = plotW / Math.max(1, n);
  const barW = Math.max(1, slot * 0.8);
  const y = (v: number): number => TOP + plotH - (v / top) * plotH;
  const width = formatWidth(series.bucketMs);
  const title = 'Findings over time';
  const description = `Findings per ${width} bucket in UTC, stacked by severity, from ${formatBucketTime(series.startMs, 1000)} (${n} buckets).`;
  const parts: string[] = [];
  for (let v = 0; v <= top; v += step) {
    const gy = y(v).toFixed(1);
    parts.push(`<line class="grid" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${gy}" y2="${gy}"/>`);
    parts.push(`<text class="tick" x="${LEFT - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${formatCount(v)}</text>`);
  }
  const every = Math.max(1, Math.ceil(n / X_LABELS));
  series.counts.forEach((counts, i) => {
    const start = series.startMs + i * series.bucketMs;
    const x0 = LEFT + i * slot + (slot - barW) / 2;
    let base = 0;
    for (let s = 0; s < 4; s++) {
      const c = counts[s]!;
      if (c === 0) continue;
      const tip = `${formatBucketTime(start, series.bucketMs)} (+${width}): ${formatCount(c)} ${SEVERITY_NAMES[s]}, ${formatCount(totals[i]!)} in all`;
      parts.push(
        `<rect class="bar" x="${x0.toFixed(1)}" y="${y(base + c).toFixed(1)}" width="${barW.toFixed(1)}" height="${(y(base) - y(base + c)).toFixed(1)}" ` +
          `fill="${SEVERITY_COLORS[s]}"><title>${e(tip)}</title></rect>`,
      );
      base += c;
    }
    if (i % every === 0) {
      const center = LEFT + i * slot + slot / 2;
      const lx = center.toFixed(1);
      // A label centred near the right edge would run out of the chart: end it at the edge instead.
      const [tx, anchor] = center + LABEL_HALF_WIDTH > WIDTH ? [WIDTH - 1, 'end'] : [lx, 'middle'];
      parts.push(`<line class="axis" x1="${lx}" x2="${lx}" y1="${TOP + plotH}" y2="${TOP + plotH + 4}"/>`);
      parts.push(`<text class="tick" x="${tx}" y="${TOP + plotH + 17}" text-anchor="${anchor}">${e(formatBucketTime(start, series.bucketMs))}</text>`);
    }
  });
  parts.push(`<line class="axis" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${TOP + plotH}" y2="${TOP + plotH}"/>`);
  parts.push(`<text class="tick" x="${LEFT + plotW / 2}" y="${HEIGHT - 6}" text-anchor="middle">time (UTC), ${e(width)} per column</text>`);
  const svg =
    `<svg class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-labelledby="${id}-title ${id}-desc" data-chart="${id}">` +
    `<title id="${id}-title">${e(title)}</title><desc id="${id}-desc">${e(description)}</desc>${parts.join('')}</svg>` +
    legend();
  const rows = series.counts
    .map((c, i) => ({ c, i, total: totals[i]! }))
    .filter((r) => r.total > 0)
    .map(
      (r) =>
        `<tr><td>${e(new Date(series.startMs + r.i * series.bucketMs).toISOString())}</td>` +
        r.c.map((v) => `<td class="num">${formatCount(v)}</td>`).join('') +
        `<td class="num">${formatCount(r.total)}</td></tr>`,
    );
  const table =
    `<table><thead><tr><th scope="col">Bucket start (${e(width)})</th>${SEVERITY_NAMES.map((s) => `<th scope="col">${s}</th>`).join('')}<th scope="col">total</th></tr></thead>` +
    `<tbody>${rows.join('')}</tbody></table>`;
  return figure(id, title, description, svg, table, n === 0);
}

function legend(): string {
  const items = SEVERITY_NAMES.map(
    (name, s) => `<li><svg width="12" height="12" aria-hidden="true"><rect width="12" height="12" fill="${SEVERITY_COLORS[s]}"/></svg> ${name}</li>`,
  );
  return `<ul class="legend" aria-label="Severity colours">${items.join('')}</ul>`;
}
