import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import type { InputProblem } from './errors.js';

export type KeyPath = ReadonlyArray<string | number>;

/** A parsed YAML file that can say on which line any key sits, for error messages. */
export interface YamlSource {
  value: unknown;
  /** Line/column (1-based) of the node at `path`, or of its closest existing parent. */
  locate(path: KeyPath): { line: number; column: number } | undefined;
  /** Syntax problems; when non-empty, `value` must not be used. */
  syntaxProblems: InputProblem[];
}

export function parseYamlSource(text: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  const syntaxProblems: InputProblem[] = doc.errors.map((e) => {
    const pos = e.linePos?.[0];
    return {
      path: '',
      message: `YAML syntax: ${firstLine(e.message)}`,
      ...(pos ? { line: pos.line, column: pos.col } : {}),
    };
  });

  const locate = (path: KeyPath) => {
    let node: unknown = doc.contents;
    let found: Node | undefined = isNodeWithRange(node) ? node : undefined;
    for (const key of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(key));
        if (!pair) break;
        // Point at the key: "file:12:3: web.port: ..." then lands on the line a person edits.
        node = pair.value as unknown;
        if (isNodeWithRange(pair.key)) found = pair.key;
      } else if (isSeq(node) && typeof key === 'number') {
        const item = node.items[key] as unknown;
        if (item === undefined) break;
        node = item;
        if (isNodeWithRange(item)) found = item;
      } else {
        break;
      }
    }
    if (!found?.range) return undefined;
    const pos = lineCounter.linePos(found.range[0]);
    return { line: pos.line, column: pos.col };
  };

  return {
    value: syntaxProblems.length > 0 ? undefined : doc.toJS({ maxAliasCount: 100 }),
    locate,
    syntaxProblems,
  };
}

function isNodeWithRange(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && 'range' in value;
}

function firstLine(message: string): string {
  // The position is reported separately; drop the library's own "at line X, column Y:" suffix.
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
}

/** `['nodes', 'menu', 'options', 0, 'next']` -> `nodes.menu.options[0].next` */
export function formatKeyPath(path: KeyPath): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? key : `.${key}`;
  }
  return out;
}
