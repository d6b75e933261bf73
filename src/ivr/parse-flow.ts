import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import type { InputProblem } from '../shared/errors.js';
import { PACKAGE_ROOT } from '../shared/package-root.js';
import { schemaProblems } from '../shared/schema-problems.js';
import { formatKeyPath, parseYamlSource, type YamlSource } from '../shared/yaml-source.js';
import { checkFlowContent } from './flow-content-checks.js';
import { FlowInvalidError, FlowUnreadableError } from './flow-errors.js';
import { checkFlowGraph } from './flow-graph-checks.js';
import { type Flow, FlowHeaderSchema, NODE_SCHEMAS, type NodeType } from './flow-schema.js';

const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
const validateHeader = ajv.compile(FlowHeaderSchema);
const validateNode = Object.fromEntries(
  Object.entries(NODE_SCHEMAS).map(([type, schema]) => [type, ajv.compile(schema)]),
) as Record<NodeType, ValidateFunction>;

export const BUILTIN_FLOWS: Record<string, string> = {
  'builtin:clinic': `${PACKAGE_ROOT}examples/clinic.yaml`,
};

export function resolveFlowPath(spec: string): string {
  return BUILTIN_FLOWS[spec] ?? spec;
}

export interface ParsedFlow {
  flow: Flow;
  file: string;
  /** Findings that do not stop the flow from running (e.g. unreachable nodes). */
  warnings: InputProblem[];
}

export function loadFlow(spec: string): ParsedFlow {
  const file = resolveFlowPath(spec);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new FlowUnreadableError(file, error);
  }
  return parseFlowText(text, file);
}

/** Parses and checks a flow: every problem is reported at once, each with its line. */
export function parseFlowText(text: string, file: string): ParsedFlow {
  const source = parseYamlSource(text);
  if (source.syntaxProblems.length > 0) throw new FlowInvalidError(file, source.syntaxProblems);
  const value = source.value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new FlowInvalidError(file, [
      {
        path: '',
        message: 'a flow must be a mapping with version, name, disclosure, start, person and nodes',
        line: 1,
        column: 1,
      },
    ]);
  }
  if (!validateHeader(value)) {
    throw new FlowInvalidError(file, schemaProblems(validateHeader.errors ?? [], source, value));
  }
  const problems = nodeProblems(
    (value as { nodes: Record<string, { type: string }> }).nodes,
    source,
    value,
  );
  if (problems.length > 0) throw new FlowInvalidError(file, problems);

  const flow = value as Flow;
  const graph = checkFlowGraph(flow);
  const content = checkFlowContent(flow);
  graph.errors.push(...content.errors);
  graph.warnings.push(...content.warnings);
  const locate = (p: { path: (string | number)[]; message: string }): InputProblem => {
    const pos = source.locate(p.path);
    return {
      path: formatKeyPath(p.path),
      message: p.message,
      ...(pos ? { line: pos.line, column: pos.column } : {}),
    };
  };
  if (graph.errors.length > 0) throw new FlowInvalidError(file, graph.errors.map(locate));
  return { flow, file, warnings: graph.warnings.map(locate) };
}

function nodeProblems(
  nodes: Record<string, { type: string }>,
  source: YamlSource,
  root: unknown,
): InputProblem[] {
  const problems: InputProblem[] = [];
  for (const [id, node] of Object.entries(nodes)) {
    const validate = validateNode[node.type as NodeType];
    if (!validate) {
      const pos = source.locate(['nodes', id, 'type']);
      problems.push({
        path: `nodes.${id}.type`,
        message: `unknown node type "${node.type}"; expected one of: ${Object.keys(NODE_SCHEMAS).join(', ')}`,
        ...(pos ? { line: pos.line, column: pos.column } : {}),
      });
      continue;
    }
    if (!validate(node)) {
      // Re-root the node's errors under nodes.<id> so paths and lines point into the file.
      const prefix = `/nodes/${id.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      const errors = (validate.errors ?? []).map((e) => ({
        ...e,
        instancePath: prefix + e.instancePath,
      }));
      problems.push(...schemaProblems(errors, source, root));
    }
  }
  return problems;
}
