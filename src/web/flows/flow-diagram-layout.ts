import { nodeTargets } from '../../ivr/flow-graph-checks.js';
import type { Flow, FlowNode } from '../../ivr/flow-schema.js';
import { phrasesFor } from '../../ivr/localized.js';

/** Words drawn on edges that are not the flow's own (menu keys and phrases are). */
export interface EdgeWords {
  open: string;
  closed: string;
  noAnswer: string;
  failure: string;
}

export interface PlacedNode {
  id: string;
  type: FlowNode['type'];
  /** Top-left corner. */
  x: number;
  y: number;
  layer: number;
  reachable: boolean;
  isStart: boolean;
  isPerson: boolean;
}

export interface PlacedEdge {
  from: string;
  to: string;
  label: string;
  /** Downward edges: source bottom, one point per layer passed, target top. */
  points: { x: number; y: number }[];
  /** A route back up (or sideways): a loop such as "hear it again". Drawn beside the boxes. */
  back: boolean;
}

export interface FlowDiagram {
  width: number;
  height: number;
  nodes: PlacedNode[];
  edges: PlacedEdge[];
}

export const NODE_W = 172;
export const NODE_H = 46;
const GAP_X = 22;
const DUMMY_W = 16;
const LAYER_GAP = 84;
const MARGIN = 24;
/** Room on the right for loops drawn beside the boxes. */
const BACK_EDGE_ROOM = 70;
const MAX_LABEL = 26;

interface Edge {
  from: string;
  to: string;
  label: string;
}

/**
 * Lays a flow out as a layered graph, top to bottom (Sugiyama, kept small): loops are set
 * aside, each node sits one layer below its deepest predecessor so a call reads downward,
 * long edges get waypoints in the layers they cross so they pass between boxes, and a few
 * barycentre sweeps order each layer to keep crossings down. Deterministic: the same flow
 * always draws the same picture.
 */
export function layoutFlow(flow: Flow, words: EdgeWords): FlowDiagram {
  const ids = Object.keys(flow.nodes);
  const edges = flowEdges(flow, words);
  const back = backEdges(flow, ids, edges);
  const forward = edges.filter((e) => !back.has(e));

  const reachable = reach([flow.start, flow.person], forward);
  const layer = assignLayers(flow, ids, forward, reachable);
  const upward = new Set(forward.filter((e) => layer.get(e.to)! <= layer.get(e.from)!));
  const down = forward.filter((e) => !upward.has(e));

  // Waypoints ("dummies") for edges that skip layers, so they can be ordered like nodes.
  const rows: string[][] = [];
  const put = (key: string, at: number) => {
    while (rows.length <= at) rows.push([]);
    rows[at]!.push(key);
  };
  for (const id of orderOfDiscovery(flow, ids, down)) put(id, layer.get(id)!);
  const chains = new Map<Edge, string[]>();
  const links: [string, string][] = [];
  down.forEach((edge, index) => {
    const chain = [edge.from];
    for (let at = layer.get(edge.from)! + 1; at < layer.get(edge.to)!; at++) {
      const dummy = `\u0000${index}:${at}`;
      put(dummy, at);
      chain.push(dummy);
    }
    chain.push(edge.to);
    chains.set(edge, chain);
    for (let i = 1; i < chain.length; i++) links.push([chain[i - 1]!, chain[i]!]);
  });
  orderLayers(rows, links);

  const width =
    Math.max(...rows.map(rowWidth), NODE_W) +
    2 * MARGIN +
    (back.size + upward.size > 0 ? BACK_EDGE_ROOM : 0);
  const centre = new Map<string, number>();
  rows.forEach((row) => {
    let x = (width - (back.size + upward.size > 0 ? BACK_EDGE_ROOM : 0) - rowWidth(row)) / 2;
    for (const key of row) {
      const w = isDummy(key) ? DUMMY_W : NODE_W;
      centre.set(key, x + w / 2);
      x += w + GAP_X;
    }
  });
  const top = (at: number) => MARGIN + at * (NODE_H + LAYER_GAP);

  const nodes: PlacedNode[] = ids.map((id) => ({
    id,
    type: flow.nodes[id]!.type,
    x: centre.get(id)! - NODE_W / 2,
    y: top(layer.get(id)!),
    layer: layer.get(id)!,
    reachable: reachable.has(id),
    isStart: id === flow.start,
    isPerson: id === flow.person,
  }));
  const placed: PlacedEdge[] = [];
  for (const edge of down) {
    const chain = chains.get(edge)!;
    const points = [{ x: centre.get(edge.from)!, y: top(layer.get(edge.from)!) + NODE_H }];
    for (const dummy of chain.slice(1, -1)) {
      const at = Number(dummy.split(':')[1]);
      points.push(
        { x: centre.get(dummy)!, y: top(at) },
        { x: centre.get(dummy)!, y: top(at) + NODE_H },
      );
    }
    points.push({ x: centre.get(edge.to)!, y: top(layer.get(edge.to)!) });
    placed.push({ ...edge, points, back: false });
  }
  for (const edge of [...back, ...upward]) {
    placed.push({
      ...edge,
      points: [
        { x: centre.get(edge.from)! + NODE_W / 2, y: top(layer.get(edge.from)!) + NODE_H / 2 },
        { x: centre.get(edge.to)! + NODE_W / 2, y: top(layer.get(edge.to)!) + NODE_H / 2 },
      ],
      back: true,
    });
  }
  return { width, height: top(rows.length) - LAYER_GAP + MARGIN, nodes, edges: placed };
}

/** Every route of the flow, one per pair of nodes, labelled with its keys and phrases. */
export function flowEdges(flow: Flow, words: EdgeWords): Edge[] {
  const merged = new Map<string, Edge>();
  for (const [id, node] of Object.entries(flow.nodes)) {
    const labels = edgeLabels(node, words, flow.language);
    for (const { target, path } of nodeTargets(id, node)) {
      if (!(target in flow.nodes)) continue;
      const label = labels.get(path.slice(2).join('.')) ?? '';
      const key = `${id}\u0000${target}`;
      const known = merged.get(key);
      if (known) known.label = [known.label, label].filter(Boolean).join(', ');
      else merged.set(key, { from: id, to: target, label });
    }
  }
  for (const edge of merged.values()) {
    if (edge.label.length > MAX_LABEL) edge.label = `${edge.label.slice(0, MAX_LABEL - 1)}…`;
  }
  return [...merged.values()];
}

/** Labels by the key path of the reference inside the node (`options.x.next`, `open`, ...). */
function edgeLabels(node: FlowNode, words: EdgeWords, language: string): Map<string, string> {
  const labels = new Map<string, string>([
    ['onFailure', words.failure],
    ['onNoAnswer', words.noAnswer],
  ]);
  if (node.type === 'hours') {
    labels.set('open', words.open);
    labels.set('closed', words.closed);
  }
  if (node.type === 'menu') {
    for (const [name, option] of Object.entries(node.options)) {
      const spoken = phrasesFor(option.speech, language, language);
      const phrase = spoken[0] ?? name;
      labels.set(
        `options.${name}.next`,
        option.dtmf === undefined ? `“${phrase}”` : `${option.dtmf} · ${phrase}`,
      );
    }
  }
  return labels;
}

/** Edges that close a cycle, found by depth-first search from the start in file order. */
function backEdges(flow: Flow, ids: string[], edges: Edge[]): Set<Edge> {
  const out = outEdges(edges);
  const state = new Map<string, 'open' | 'done'>();
  const back = new Set<Edge>();
  const visit = (id: string) => {
    state.set(id, 'open');
    for (const edge of out.get(id) ?? []) {
      const s = state.get(edge.to);
      if (s === 'open') back.add(edge);
      else if (s === undefined) visit(edge.to);
    }
    state.set(id, 'done');
  };
  for (const id of [flow.start, flow.person, ...ids])
    if (!state.has(id) && id in flow.nodes) visit(id);
  return back;
}

/**
 * Longest path from the start: each node one layer below its deepest predecessor. The person
 * node is reached from every menu (key 0), so it sits no higher than layer 1; nodes nothing
 * reaches go below everything else.
 */
function assignLayers(
  flow: Flow,
  ids: string[],
  dag: Edge[],
  reachable: Set<string>,
): Map<string, number> {
  const order = topologicalOrder(ids, dag);
  const preds = new Map<string, string[]>();
  for (const e of dag) preds.set(e.to, [...(preds.get(e.to) ?? []), e.from]);
  const layer = new Map<string, number>();
  const pass = (inside: boolean, base: number) => {
    for (const id of order) {
      if (reachable.has(id) !== inside) continue;
      let at = base + (inside && id === flow.person && id !== flow.start ? 1 : 0);
      for (const p of preds.get(id) ?? []) {
        if (reachable.has(p) === inside) at = Math.max(at, layer.get(p)! + 1);
      }
      layer.set(id, at);
    }
  };
  pass(true, 0);
  pass(false, Math.max(-1, ...[...layer.values()]) + 1);
  return layer;
}

function topologicalOrder(ids: string[], dag: Edge[]): string[] {
  const indegree = new Map(ids.map((id) => [id, 0]));
  for (const e of dag) indegree.set(e.to, indegree.get(e.to)! + 1);
  const out = outEdges(dag);
  const queue = ids.filter((id) => indegree.get(id) === 0);
  const order: string[] = [];
  while (queue.length > 0) {
    const id = queue.shift()!;
    order.push(id);
    for (const e of out.get(id) ?? []) {
      indegree.set(e.to, indegree.get(e.to)! - 1);
      if (indegree.get(e.to) === 0) queue.push(e.to);
    }
  }
  return order;
}

/** Breadth-first from the start, options in the order the flow lists them: a natural reading. */
function orderOfDiscovery(flow: Flow, ids: string[], edges: Edge[]): string[] {
  const out = outEdges(edges);
  const seen = new Set<string>();
  const queue = [flow.start, flow.person].filter((id) => id in flow.nodes);
  for (const id of queue) seen.add(id);
  const order: string[] = [];
  const drain = () => {
    while (queue.length > 0) {
      const id = queue.shift()!;
      order.push(id);
      for (const e of out.get(id) ?? []) {
        if (!seen.has(e.to)) {
          seen.add(e.to);
          queue.push(e.to);
        }
      }
    }
  };
  drain();
  for (const id of ids) {
    if (!seen.has(id)) {
      seen.add(id);
      queue.push(id);
      drain();
    }
  }
  return order;
}

/** Reorders each layer by the mean position of its neighbours, down then up, a few times. */
function orderLayers(rows: string[][], links: [string, string][]): void {
  const up = new Map<string, string[]>();
  const down = new Map<string, string[]>();
  for (const [a, b] of links) {
    down.set(a, [...(down.get(a) ?? []), b]);
    up.set(b, [...(up.get(b) ?? []), a]);
  }
  const position = new Map<string, number>();
  const index = () => {
    for (const row of rows) {
      row.forEach((key, i) => {
        position.set(key, i / Math.max(1, row.length - 1));
      });
    }
  };
  index();
  const sweep = (row: string[], neighbours: Map<string, string[]>) => {
    const score = new Map(
      row.map((key, i) => {
        const near = neighbours.get(key) ?? [];
        const mean = near.length
          ? near.reduce((sum, n) => sum + position.get(n)!, 0) / near.length
          : i / Math.max(1, row.length - 1);
        return [key, mean];
      }),
    );
    // A stable sort keeps the reading order among equals.
    row.sort((a, b) => score.get(a)! - score.get(b)!);
  };
  for (let round = 0; round < 4; round++) {
    for (let i = 1; i < rows.length; i++) {
      sweep(rows[i]!, up);
      index();
    }
    for (let i = rows.length - 2; i >= 0; i--) {
      sweep(rows[i]!, down);
      index();
    }
  }
}

function reach(from: string[], edges: Edge[]): Set<string> {
  const out = outEdges(edges);
  const seen = new Set(from);
  const stack = [...from];
  while (stack.length > 0) {
    for (const e of out.get(stack.pop()!) ?? []) {
      if (!seen.has(e.to)) {
        seen.add(e.to);
        stack.push(e.to);
      }
    }
  }
  return seen;
}

function outEdges(edges: Edge[]): Map<string, Edge[]> {
  const out = new Map<string, Edge[]>();
  for (const e of edges) out.set(e.from, [...(out.get(e.from) ?? []), e]);
  return out;
}

function rowWidth(row: string[]): number {
  return (
    row.reduce((w, key) => w + (isDummy(key) ? DUMMY_W : NODE_W), 0) + GAP_X * (row.length - 1)
  );
}

function isDummy(key: string): boolean {
  return key.startsWith('\u0000');
}
