import type { Choice, Flow, FlowNode } from './flow-schema.js';
import { allPhrases } from './localized.js';

export interface GraphFinding {
  path: (string | number)[];
  message: string;
}

/** Keys every menu reserves: 0 reaches a person, * repeats the menu. */
export const PERSON_KEY = '0';
export const REPEAT_KEY = '*';

/** Where a node can lead, with the key path of each reference (for line numbers). */
export function nodeTargets(
  id: string,
  node: FlowNode,
): { target: string; path: (string | number)[] }[] {
  const at = (...keys: string[]) => ['nodes', id, ...keys];
  switch (node.type) {
    case 'say':
    case 'callback':
    case 'info':
    case 'voicemail':
      return [{ target: node.next, path: at('next') }];
    case 'collect':
    case 'language': {
      const targets = [{ target: node.next, path: at('next') }];
      if (node.onFailure) targets.push({ target: node.onFailure, path: at('onFailure') });
      return targets;
    }
    case 'hours':
      return [
        { target: node.open, path: at('open') },
        { target: node.closed, path: at('closed') },
      ];
    case 'menu': {
      const targets = Object.entries(node.options).map(([name, option]) => ({
        target: option.next,
        path: at('options', name, 'next'),
      }));
      if (node.onFailure) targets.push({ target: node.onFailure, path: at('onFailure') });
      return targets;
    }
    case 'transfer':
      return [{ target: node.onNoAnswer, path: at('onNoAnswer') }];
    case 'hangup':
      return [];
  }
}

/**
 * Graph rules: every route leads to an existing node, the person node is a transfer, menu keys
 * are unique and do not shadow the global ones, every node can reach an end of the call, and
 * nodes nobody can reach are reported (as warnings: they may be drafts).
 */
export function checkFlowGraph(flow: Flow): { errors: GraphFinding[]; warnings: GraphFinding[] } {
  const errors: GraphFinding[] = [];
  const warnings: GraphFinding[] = [];
  const ids = new Set(Object.keys(flow.nodes));
  const known = [...ids].join(', ');

  for (const [key, target] of [
    ['start', flow.start],
    ['person', flow.person],
  ] as const) {
    if (!ids.has(target))
      errors.push({
        path: [key],
        message: `names node "${target}", which does not exist; nodes are: ${known}`,
      });
  }
  const person = flow.nodes[flow.person];
  if (person && person.type !== 'transfer') {
    errors.push({
      path: ['person'],
      message: `must name a transfer node (it is how callers reach a person), but "${flow.person}" is a ${person.type} node`,
    });
  }

  const edges = new Map<string, string[]>();
  for (const [id, node] of Object.entries(flow.nodes)) {
    const targets = nodeTargets(id, node);
    for (const { target, path } of targets) {
      if (!ids.has(target))
        errors.push({
          path,
          message: `routes to "${target}", which does not exist; nodes are: ${known}`,
        });
    }
    const out = targets.map((t) => t.target).filter((t) => ids.has(t));
    // Every question implicitly reaches the person node (key 0, "reception", failed retries).
    if (ASKS.has(node.type) && ids.has(flow.person)) out.push(flow.person);
    edges.set(id, out);
    if (node.type === 'menu')
      errors.push(...choiceFindings(['nodes', id, 'options'], node.options, flow.person));
    if (node.type === 'language')
      errors.push(...choiceFindings(['nodes', id, 'options'], node.options, null));
    if (node.type === 'callback' && node.window) {
      errors.push(...choiceFindings(['nodes', id, 'window', 'options'], node.window.options, null));
    }
  }

  if (errors.length > 0) return { errors, warnings };

  const reachable = reach([flow.start], edges);
  for (const id of ids) {
    if (!reachable.has(id) && id !== flow.person) {
      warnings.push({
        path: ['nodes', id],
        message: `node "${id}" is unreachable: no route from "${flow.start}" leads to it`,
      });
    }
  }

  // A node from which no hangup or transfer can be reached traps the caller in a loop.
  const reverse = new Map<string, string[]>();
  for (const [from, tos] of edges)
    for (const to of tos) reverse.set(to, [...(reverse.get(to) ?? []), from]);
  const ends = [...ids].filter((id) => {
    const type = flow.nodes[id]!.type;
    return type === 'hangup' || type === 'transfer';
  });
  const canEnd = reach(ends, reverse);
  for (const id of reachable) {
    if (!canEnd.has(id)) {
      errors.push({
        path: ['nodes', id],
        message: `node "${id}" is in a loop with no exit: no hangup or transfer can be reached from it`,
      });
    }
  }
  return { errors, warnings };
}

/** Node types that wait for the caller, and so also offer a person and a repeat. */
const ASKS = new Set(['menu', 'collect', 'language', 'callback']);

/**
 * Keys and phrases of one question: unique, not shadowing the global 0 and *, and each option
 * reachable by key or voice. `person` is the node key 0 may lead to (menus only).
 */
function choiceFindings(
  at: (string | number)[],
  options: Record<string, Choice & { next?: string }>,
  person: string | null,
): GraphFinding[] {
  const findings: GraphFinding[] = [];
  const seenKeys = new Map<string, string>();
  const seenPhrases = new Map<string, string>();
  for (const [name, option] of Object.entries(options)) {
    if (option.dtmf === undefined && option.speech === undefined) {
      findings.push({
        path: [...at, name],
        message: 'option has neither a dtmf key nor speech phrases, so no caller can choose it',
      });
    }
    if (option.dtmf !== undefined) {
      const other = seenKeys.get(option.dtmf);
      if (other)
        findings.push({
          path: [...at, name, 'dtmf'],
          message: `key ${option.dtmf} is already used by option "${other}"`,
        });
      seenKeys.set(option.dtmf, name);
      if (option.dtmf === PERSON_KEY && (person === null || option.next !== person)) {
        findings.push({
          path: [...at, name, 'dtmf'],
          message: `key 0 is reserved for reaching a person${person ? ` ("${person}")` : ''} in every menu`,
        });
      }
      if (option.dtmf === REPEAT_KEY) {
        findings.push({
          path: [...at, name, 'dtmf'],
          message: 'key * is reserved for repeating the menu',
        });
      }
    }
    for (const phrase of allPhrases(option.speech)) {
      const normal = phrase.toLowerCase().trim();
      const other = seenPhrases.get(normal);
      if (other && other !== name)
        findings.push({
          path: [...at, name, 'speech'],
          message: `phrase "${phrase}" is already used by option "${other}"`,
        });
      seenPhrases.set(normal, name);
    }
  }
  return findings;
}

function reach(from: string[], edges: Map<string, string[]>): Set<string> {
  const seen = new Set<string>(from);
  const stack = [...from];
  while (stack.length > 0) {
    const id = stack.pop()!;
    for (const next of edges.get(id) ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        stack.push(next);
      }
    }
  }
  return seen;
}
