import t from 'tap';
import { loadFlow, parseFlowText } from '../../src/ivr/parse-flow.js';
import { layoutFlow, NODE_H, NODE_W } from '../../src/web/flows/flow-diagram-layout.js';
import { flowDiagramSvg } from '../../src/web/flows/flow-diagram-svg.js';
import { SHORT_FLOW } from './flows-fixtures.js';

const WORDS = { open: 'open', closed: 'closed', noAnswer: 'no answer', failure: 'no choice' };

t.test('the clinic flow is laid out top-down without overlaps, every route drawn', async (t) => {
  const { flow } = loadFlow('builtin:clinic');
  const d = layoutFlow(flow, WORDS);
  const ids = Object.keys(flow.nodes);
  t.same(d.nodes.map((n) => n.id).sort(), [...ids].sort(), 'every node is placed once');
  for (const a of d.nodes) {
    t.ok(a.x >= 0 && a.x + NODE_W <= d.width && a.y + NODE_H <= d.height, `${a.id} inside`);
    for (const b of d.nodes) {
      if (a.id >= b.id) continue;
      const apart = a.x + NODE_W <= b.x || b.x + NODE_W <= a.x || a.y !== b.y;
      t.ok(apart, `${a.id} and ${b.id} do not overlap`);
    }
  }
  const layer = new Map(d.nodes.map((n) => [n.id, n.layer]));
  t.equal(layer.get('main-menu'), 0, 'the start is on top');
  t.equal(layer.get('reception'), 1, 'the person node sits right under the menus that reach it');
  for (const edge of d.edges.filter((e) => !e.back)) {
    t.ok(layer.get(edge.to)! > layer.get(edge.from)!, `${edge.from} -> ${edge.to} points down`);
    // Waypoints keep long edges out of the boxes of the layers they cross.
    for (const p of edge.points.slice(1, -1)) {
      const hit = d.nodes.some(
        (n) => p.x > n.x && p.x < n.x + NODE_W && p.y >= n.y && p.y <= n.y + NODE_H,
      );
      t.notOk(hit, `${edge.from} -> ${edge.to} passes between boxes`);
    }
  }
  const goodbye = layer.get('goodbye')!;
  t.ok(
    d.nodes.every((n) => n.id === 'goodbye' || n.layer < goodbye),
    'the hang-up is at the bottom',
  );
  const main = d.edges.filter((e) => e.from === 'main-menu').map((e) => e.label);
  t.same(main.sort(), [
    '1 · appointments',
    '2 · prescriptions',
    '3 · opening hours',
    '4 · test results',
  ]);
  t.match(
    d.edges.find((e) => e.from === 'reception'),
    { to: 'reception-busy', label: 'no answer' },
  );
  t.same(layoutFlow(flow, WORDS), d, 'the same flow always draws the same picture');
});

t.test('loops are drawn as back edges and unreachable nodes are marked', async (t) => {
  const text = SHORT_FLOW.replace('next: bye\n  desk', 'next: main\n  desk').concat(
    `  orphan:
    type: say
    text: Nobody hears this.
    next: bye
`,
  );
  const { flow, warnings } = parseFlowText(text, 'loop.yaml');
  t.match(warnings, [{ path: 'nodes.orphan' }], 'the checker warns about the orphan');
  const d = layoutFlow(flow, WORDS);
  const back = d.edges.filter((e) => e.back);
  t.match(back, [{ from: 'hours-info', to: 'main' }], 'the way back to the menu is a back edge');
  const orphan = d.nodes.find((n) => n.id === 'orphan')!;
  t.equal(orphan.reachable, false);
  t.ok(
    d.nodes.filter((n) => n.reachable).every((n) => n.layer < orphan.layer),
    'below the rest',
  );
  const svg = flowDiagramSvg(flow, {
    ...WORDS,
    title: 'T',
    start: 'start',
    person: 'person',
    unreachable: 'unreachable',
  }).value;
  t.match(svg, 'class="node node-say unreachable" data-node="orphan"');
  t.match(svg, 'class="edge back" data-from="hours-info" data-to="main"');
  t.match(svg, '<title>orphan (say): Nobody hears this.</title>');
});

t.test('every text in the SVG is escaped', async (t) => {
  const hostile = SHORT_FLOW.replace('Press 1 or say hours.', 'Press <b>1</b> & "quote"').replace(
    'speech: [hours, opening hours]',
    'speech: ["<img src=x onerror=alert(1)>"]',
  );
  const { flow } = parseFlowText(hostile, 'hostile.yaml');
  const svg = flowDiagramSvg(flow, {
    ...WORDS,
    title: '<title>',
    start: 'start',
    person: 'person',
    unreachable: 'unreachable',
  }).value;
  t.notMatch(svg, '<img');
  t.notMatch(svg, '<b>');
  t.match(svg, 'Press &lt;b&gt;1&lt;/b&gt; &amp; &quot;quote&quot;');
  t.match(svg, '>1 · &lt;img src=x onerror=', 'the edge label too (shortened)');
  t.match(svg, '<title id="flow-diagram-title">&lt;title&gt;</title>');
});
