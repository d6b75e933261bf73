import type { Flow, FlowNode } from '../../ivr/flow-schema.js';
import { textFor } from '../../ivr/localized.js';
import { html, type SafeHtml } from '../html.js';
import {
  type EdgeWords,
  layoutFlow,
  NODE_H,
  NODE_W,
  type PlacedEdge,
  type PlacedNode,
} from './flow-diagram-layout.js';

export interface DiagramWords extends EdgeWords {
  /** The accessible name of the picture. */
  title: string;
  start: string;
  person: string;
  unreachable: string;
}

const MAX_ID = 22;
/** Where along the first stretch of an edge its label sits: past the fan-out, before the box. */
const LABEL_AT = 0.62;

/**
 * The menu tree as inline SVG, drawn on the server: no script, nothing external, every text
 * escaped by the html template. Colours and fonts come from flows.css (the CSP forbids inline
 * styles); hovering a box shows what the caller hears there.
 */
export function flowDiagramSvg(flow: Flow, words: DiagramWords): SafeHtml {
  const d = layoutFlow(flow, words);
  return html`<svg id="flow-diagram" class="flow-diagram" role="img" aria-labelledby="flow-diagram-title" viewBox="0 0 ${d.width} ${d.height}" width="${d.width}" height="${d.height}" xmlns="http://www.w3.org/2000/svg">
<title id="flow-diagram-title">${words.title}</title>
<defs><marker id="flow-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="arrow-head"/></marker></defs>
<g class="edges">${d.edges.map(edgeSvg)}</g>
<g class="nodes">${d.nodes.map((n) => nodeSvg(n, flow, words))}</g>
</svg>`;
}

function edgeSvg(edge: PlacedEdge): SafeHtml {
  const [a, b] = [edge.points[0]!, edge.points.at(-1)!];
  if (edge.back) {
    const bulge = 58;
    const path = `M${a.x},${a.y} C${a.x + bulge},${a.y} ${b.x + bulge},${b.y} ${b.x + 2},${b.y}`;
    const label = { x: Math.max(a.x, b.x) + bulge * 0.78, y: (a.y + b.y) / 2 };
    return html`<g class="edge back" data-from="${edge.from}" data-to="${edge.to}"><path d="${path}" marker-end="url(#flow-arrow)"/>${edgeLabel(edge.label, label.x, label.y, 'start')}</g>`;
  }
  let path = `M${a.x},${a.y}`;
  for (let i = 1; i < edge.points.length; i++) {
    const p = edge.points[i - 1]!;
    const q = edge.points[i]!;
    if (p.x === q.x) path += ` L${q.x},${q.y}`;
    else {
      const mid = (p.y + q.y) / 2;
      path += ` C${p.x},${mid} ${q.x},${mid} ${q.x},${q.y}`;
    }
  }
  const label = bezierPoint(edge.points[0]!, edge.points[1]!, LABEL_AT);
  return html`<g class="edge" data-from="${edge.from}" data-to="${edge.to}"><path d="${path}" marker-end="url(#flow-arrow)"/>${edgeLabel(edge.label, label.x, label.y, 'middle')}</g>`;
}

function edgeLabel(text: string, x: number, y: number, anchor: 'start' | 'middle'): SafeHtml | '' {
  if (!text) return '';
  return html`<text class="edge-label" x="${round(x)}" y="${round(y + 4)}" text-anchor="${anchor}">${text}</text>`;
}

function nodeSvg(node: PlacedNode, flow: Flow, words: DiagramWords): SafeHtml {
  const classes = [
    'node',
    `node-${node.type}`,
    node.isStart ? 'start' : '',
    node.isPerson ? 'person' : '',
    node.reachable ? '' : 'unreachable',
  ].filter(Boolean);
  const badge = node.isStart
    ? words.start
    : node.isPerson
      ? words.person
      : node.reachable
        ? ''
        : words.unreachable;
  const id = node.id.length > MAX_ID ? `${node.id.slice(0, MAX_ID - 1)}…` : node.id;
  const said = spokenText(flow.nodes[node.id]!, flow.language);
  return html`<g class="${classes.join(' ')}" data-node="${node.id}"><title>${node.id} (${node.type})${said ? `: ${said}` : ''}</title><rect x="${round(node.x)}" y="${node.y}" width="${NODE_W}" height="${NODE_H}" rx="7"/>${
    badge
      ? html`<text class="node-badge" x="${round(node.x + 6)}" y="${node.y - 5}">${badge}</text>`
      : ''
  }<text class="node-id" x="${round(node.x + NODE_W / 2)}" y="${node.y + 19}" text-anchor="middle">${id}</text><text class="node-type" x="${round(node.x + NODE_W / 2)}" y="${node.y + 36}" text-anchor="middle">${detail(flow.nodes[node.id]!)}</text></g>`;
}

/** The node's type and the one fact that tells similar nodes apart. */
function detail(node: FlowNode): string {
  switch (node.type) {
    case 'transfer':
      return `transfer → ${node.target}`;
    case 'callback':
    case 'info':
      return `${node.type}: ${node.topic}`;
    case 'collect':
      return `collect → $${node.into}`;
    default:
      return node.type;
  }
}

function spokenText(node: FlowNode, language: string): string {
  const text =
    'prompt' in node && node.prompt ? node.prompt : 'text' in node ? node.text : undefined;
  if (text === undefined) return '';
  const plain = textFor(text, language, language);
  return plain.length > 240 ? `${plain.slice(0, 239)}…` : plain;
}

function bezierPoint(p: { x: number; y: number }, q: { x: number; y: number }, t: number) {
  if (p.x === q.x) return { x: p.x + 4, y: p.y + (q.y - p.y) * t };
  const u = 1 - t;
  const mid = (p.y + q.y) / 2;
  // Control points (p.x, mid) and (q.x, mid): x blends the two ends, y passes through mid.
  const x = p.x * (u ** 3 + 3 * u * u * t) + q.x * (3 * u * t * t + t ** 3);
  const y = p.y * u ** 3 + mid * 3 * u * t + q.y * t ** 3;
  return { x, y };
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
