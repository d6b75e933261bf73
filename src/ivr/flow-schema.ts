import { type Static, type TSchema, Type } from '@sinclair/typebox';

/**
 * The IVR flow file (YAML). A flow is a set of named nodes; each node says something, asks
 * something, or ends the call. Objects are closed so a misspelt key is an error, not a silent
 * default. Graph rules (dangling routes, unreachable nodes) are checked in check-flow.ts.
 */
const Strict = { additionalProperties: false } as const;

export const FLOW_VERSION = 1;

const NodeId = Type.String({
  pattern: '^[a-z0-9][a-z0-9-]*$',
  description: 'a node id: lower-case letters, digits and dashes',
});
const Text = Type.String({ minLength: 1, maxLength: 2000 });

const SayNode = Type.Object(
  { type: Type.Literal('say'), text: Text, next: NodeId },
  { ...Strict, description: 'say' },
);

const MenuOption = Type.Object(
  {
    dtmf: Type.Optional(
      Type.String({ pattern: '^[0-9*#A-D]$', description: 'one key: 0-9, *, # or A-D' }),
    ),
    speech: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 60 }), { minItems: 1 }),
    ),
    next: NodeId,
  },
  Strict,
);

const MenuNode = Type.Object(
  {
    type: Type.Literal('menu'),
    prompt: Text,
    options: Type.Record(NodeId, MenuOption, { minProperties: 1 }),
    retries: Type.Optional(Type.Integer({ minimum: 0, maximum: 5 })),
    timeoutSeconds: Type.Optional(Type.Number({ minimum: 1, maximum: 30 })),
    noInput: Type.Optional(Text),
    noMatch: Type.Optional(Text),
    /** Where to go after the last retry; defaults to the flow's `person`. */
    onFailure: Type.Optional(NodeId),
  },
  { ...Strict, description: 'menu' },
);

const TransferNode = Type.Object(
  {
    type: Type.Literal('transfer'),
    target: NodeId,
    prompt: Type.Optional(Text),
    method: Type.Optional(Type.Union([Type.Literal('relay'), Type.Literal('hook-flash')])),
    extension: Type.Optional(Type.String({ pattern: '^[0-9*#]{1,8}$' })),
    answerTimeoutSeconds: Type.Optional(Type.Integer({ minimum: 5, maximum: 120 })),
    /** Where to go when nobody picks up. */
    onNoAnswer: NodeId,
  },
  { ...Strict, description: 'transfer' },
);

const CallbackNode = Type.Object(
  { type: Type.Literal('callback'), topic: NodeId, prompt: Text, next: NodeId },
  { ...Strict, description: 'callback' },
);

const InfoNode = Type.Object(
  { type: Type.Literal('info'), topic: NodeId, text: Text, next: NodeId },
  { ...Strict, description: 'info' },
);

const HangupNode = Type.Object(
  { type: Type.Literal('hangup'), prompt: Type.Optional(Text) },
  { ...Strict, description: 'hangup' },
);

export const NODE_SCHEMAS = {
  say: SayNode,
  menu: MenuNode,
  transfer: TransferNode,
  callback: CallbackNode,
  info: InfoNode,
  hangup: HangupNode,
} as const satisfies Record<string, TSchema>;

export type NodeType = keyof typeof NODE_SCHEMAS;

export const FlowHeaderSchema = Type.Object(
  {
    version: Type.Literal(FLOW_VERSION),
    name: Type.String({ minLength: 1, maxLength: 80 }),
    language: Type.String({
      pattern: '^[a-z]{2}(-[A-Z]{2})?$',
      description: 'a language tag like en, de or es-ES',
    }),
    /** Played first on every call, before any menu, and not interruptible. */
    disclosure: Text,
    start: NodeId,
    /** The node that reaches a person: 0, "reception" or "operator" jump there from any menu. */
    person: NodeId,
    defaults: Type.Optional(
      Type.Object(
        {
          retries: Type.Optional(Type.Integer({ minimum: 0, maximum: 5 })),
          timeoutSeconds: Type.Optional(Type.Number({ minimum: 1, maximum: 30 })),
          noInput: Type.Optional(Text),
          noMatch: Type.Optional(Text),
        },
        Strict,
      ),
    ),
    nodes: Type.Record(NodeId, Type.Object({ type: Type.String() }), { minProperties: 1 }),
  },
  Strict,
);

export type SayNode = Static<typeof SayNode>;
export type MenuNode = Static<typeof MenuNode>;
export type MenuOption = Static<typeof MenuOption>;
export type TransferNode = Static<typeof TransferNode>;
export type CallbackNode = Static<typeof CallbackNode>;
export type InfoNode = Static<typeof InfoNode>;
export type HangupNode = Static<typeof HangupNode>;
export type FlowNode = SayNode | MenuNode | TransferNode | CallbackNode | InfoNode | HangupNode;

export interface Flow extends Omit<Static<typeof FlowHeaderSchema>, 'nodes'> {
  nodes: Record<string, FlowNode>;
}
