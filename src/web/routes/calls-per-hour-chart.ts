import { html, type SafeHtml } from '../html.js';
import { type DashboardMessages, fill } from './dashboard-messages.js';

const WIDTH = 720;
const HEIGHT = 220;
const LEFT = 40;
const RIGHT = 10;
const TOP = 16;
const BOTTOM = 40;
const PLOT_W = WIDTH - LEFT - RIGHT;
const PLOT_H = HEIGHT - TOP - BOTTOM;
const SLOT = PLOT_W / 24;
const BAR = SLOT * 0.7;

/** Today's local midnight and the next one, in epoch ms (23 or 25 hours apart on DST days). */
export function localDay(nowMs: number): { fromMs: number; toMs: number } {
  const now = new Date(nowMs);
  return {
    fromMs: new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime(),
    toMs: new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1).getTime(),
  };
}

/** A y-axis top and step a person reads easily: 1, 2 or 5 times a power of ten. */
export function yScale(max: number): { top: number; step: number } {
  if (max <= 4) return { top: 4, step: 1 };
  const rough = max / 4;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((f) => f * power).find((s) => s >= rough) ?? 10 * power;
  return { top: Math.ceil(max / step) * step, step };
}

function hourRange(hour: number): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(hour)}:00–${two((hour + 1) % 24)}:00`;
}

const round = (n: number) => Math.round(n * 10) / 10;

/**
 * Calls per hour of today as inline SVG, drawn on the server for the page and for live.js
 * (which swaps in a fresh copy from /api/calls-per-hour.svg). Colours come from classes in
 * style.css: the CSP forbids style attributes. Each bar is an image named by its <title>, so a
 * screen reader reads "09:00–10:00: 3 calls" and a mouse shows it as a tooltip.
 */
export function callsPerHourChart(
  counts: readonly number[],
  currentHour: number,
  m: DashboardMessages['chart'],
): SafeHtml {
  const { top, step } = yScale(Math.max(0, ...counts));
  const y = (value: number) => round(TOP + PLOT_H - (value / top) * PLOT_H);
  const ticks: number[] = [];
  for (let v = 0; v <= top; v += step) ticks.push(v);
  const bars = counts.map((count, hour) => {
    const x = round(LEFT + hour * SLOT + (SLOT - BAR) / 2);
    // An empty hour keeps a hairline, so its tooltip can still be found with the mouse.
    const h = Math.max(1, round((count / top) * PLOT_H));
    const title = fill(count === 1 ? m.barOne : m.bar, { hour: hourRange(hour), count });
    const classes = ['bar', count === 0 ? 'empty' : '', hour === currentHour ? 'now' : '']
      .filter(Boolean)
      .join(' ');
    return html`<rect class="${classes}" x="${x}" y="${round(TOP + PLOT_H - h)}" width="${round(BAR)}" height="${h}" data-hour="${hour}" data-count="${count}" role="img"><title>${title}</title></rect>${
      count > 0
        ? html`<text class="count" x="${round(x + BAR / 2)}" y="${round(TOP + PLOT_H - h - 3)}" text-anchor="middle" aria-hidden="true">${count}</text>`
        : ''
    }`;
  });
  const grid = ticks.map(
    (v) =>
      html`<line class="grid" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${y(v)}" y2="${y(v)}"/><text class="tick" x="${LEFT - 6}" y="${y(v) + 4}" text-anchor="end">${v}</text>`,
  );
  const hours = [0, 3, 6, 9, 12, 15, 18, 21].map(
    (hour) =>
      html`<text class="tick" x="${round(LEFT + hour * SLOT + SLOT / 2)}" y="${TOP + PLOT_H + 16}" text-anchor="middle">${String(hour).padStart(2, '0')}</text>`,
  );
  return html`<svg id="calls-chart" class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="group" aria-labelledby="chart-heading" aria-describedby="chart-desc"><desc id="chart-desc">${m.description}</desc><g aria-hidden="true">${grid}</g><g class="bars">${bars}</g><g aria-hidden="true">${hours}<text class="axis" x="${LEFT + PLOT_W / 2}" y="${HEIGHT - 4}" text-anchor="middle">${m.axisHours}</text><text class="axis" x="12" y="${TOP + PLOT_H / 2}" text-anchor="middle" transform="rotate(-90 12 ${TOP + PLOT_H / 2})">${m.axisCalls}</text></g></svg>`;
}
