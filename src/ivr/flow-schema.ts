import { type Static, type TSchema, Type } from '@sinclair/typebox';

/**
 * The IVR flow file (YAML). A flow is a set of named nodes; each node says something, asks
 * something, branches, or ends the call. Objects are closed so a misspelt key is an error, not
 * a silent default. Graph rules (dangling routes, unreachable nodes, loops) are checked in
 * flow-graph-checks.ts; language coverage and time tables in flow-content-checks.ts.
 */
const Strict = { additionalProperties: false } as const;

export const FLOW_VERSION = 1;

const NodeId = Type.String({
  pattern: '^[a-z0-9][a-z0-9-]*$',
  description: 'a node id: lower-case letters, digits and dashes',
});
const LanguageTag = Type.String({
  pattern: '^[a-z]{2}(-[A-Z]{2})?$',
  description: 'a language tag like en, de or es-ES',
});
const PlainText = Type.String({ minLength: 1, maxLength: 2000 });
/** A prompt: one text, or one text per language (`{ en: ..., de: ... }`). */
const Text = Type.Union([PlainText, Type.Record(LanguageTag, PlainText, { minProperties: 1 })]);
const PhraseList = Type.Array(Type.String({ minLength: 1, maxLength: 60 }), { minItems: 1 });
/** Spoken phrases: one list, or one list per language. */
const Phrases = Type.Union([
  PhraseList,
  Type.Record(LanguageTag, PhraseList, { minProperties: 1 }),
]);
const Key = Type.String({ pattern: '^[0-9*#A-D]$', description: 'one key: 0-9, *, # or A-D' });

const Choice = Type.Object({ dtmf: Type.Optional(Key), speech: Type.Optional(Phrases) }, Strict);

const RetryFields = {
  retries: Type.Optional(Type.Integer({ minimum: 0, maximum: 5 })),
  timeoutSeconds: Type.Optional(Type.Number({ minimum: 1, maximum: 30 })),
  noInput: Type.Optional(Text),
  noMatch: Type.Optional(Text),
  /** Where to go after the last retry; defaults to the flow's `person`. */
  onFailure: Type.Optional(NodeId),
};

const SayNode = Type.Object({ type: Type.Literal('say'), text: Text, next: NodeId }, Strict);

const MenuOption = Type.Object(
  { dtmf: Type.Optional(Key), speech: Type.Optional(Phrases), next: NodeId },
  Strict,
);

const MenuNode = Type.Object(
  {
    type: Type.Literal('menu'),
    prompt: Text,
    options: Type.Record(NodeId, MenuOption, { minProperties: 1 }),
    ...RetryFields,
  },
  Strict,
);

const CollectNode = Type.Object(
  {
    type: Type.Literal('collect'),
    prompt: Text,
    /** Variable the digits go into, e.g. `extension`; used as `$extension` by a transfer. */
    into: Type.String({
      pattern: '^[a-z][a-z0-9_]*$',
      description: 'a variable name: lower-case letters, digits, _',
    }),
    minDigits: Type.Optional(Type.Integer({ minimum: 1, maximum: 32 })),
    maxDigits: Type.Integer({ minimum: 1, maximum: 32 }),
    /** Key that ends entry early; `none` when entry ends by length or pause only. */
    terminator: Type.Optional(
      Type.Union([Type.Literal('#'), Type.Literal('*'), Type.Literal('none')]),
    ),
    interDigitSeconds: Type.Optional(Type.Number({ minimum: 1, maximum: 15 })),
    /** A regular expression the whole entry must match. */
    pattern: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    next: NodeId,
    ...RetryFields,
  },
  Strict,
);

const TimeRange = Type.String({
  pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-4]):[0-5][0-9]$',
  description: 'a time range like 08:00-12:30',
});
const DayHours = Type.Array(TimeRange);

const HoursNode = Type.Object(
  {
    type: Type.Literal('hours'),
    /** IANA time zone of the clinic, e.g. Europe/Berlin. */
    timezone: Type.String({ minLength: 1 }),
    weekly: Type.Object(
      {
        mon: Type.Optional(DayHours),
        tue: Type.Optional(DayHours),
        wed: Type.Optional(DayHours),
        thu: Type.Optional(DayHours),
        fri: Type.Optional(DayHours),
        sat: Type.Optional(DayHours),
        sun: Type.Optional(DayHours),
      },
      Strict,
    ),
    holidays: Type.Optional(
      Type.Array(
        Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'a date like 2026-12-25' }),
      ),
    ),
    open: NodeId,
    closed: NodeId,
  },
  Strict,
);

const LanguageNode = Type.Object(
  {
    type: Type.Literal('language'),
    /** Played in every language in turn, so each caller hears their own. */
    prompt: Text,
    options: Type.Record(LanguageTag, Choice, { minProperties: 2 }),
    next: NodeId,
    ...RetryFields,
  },
  Strict,
);

const TransferNode = Type.Object(
  {
    type: Type.Literal('transfer'),
    target: NodeId,
    prompt: Type.Optional(Text),
    method: Type.Optional(Type.Union([Type.Literal('relay'), Type.Literal('hook-flash')])),
    /** Digits to dial after the hook flash, or `$variable` from a collect node. */
    extension: Type.Optional(
      Type.String({
        pattern: '^([0-9*#]{1,8}|\\$[a-z][a-z0-9_]*)$',
        description: 'digits, or $variable',
      }),
    ),
    answerTimeoutSeconds: Type.Optional(Type.Integer({ minimum: 5, maximum: 120 })),
    /** Where to go when nobody picks up. */
    onNoAnswer: NodeId,
  },
  Strict,
);

const CallbackNode = Type.Object(
  {
    type: Type.Literal('callback'),
    topic: NodeId,
    /** Optional: ask when the caller would like to be called back. */
    window: Type.Optional(
      Type.Object(
        {
          prompt: Text,
          options: Type.Record(NodeId, Choice, { minProperties: 1 }),
          retries: RetryFields.retries,
          timeoutSeconds: RetryFields.timeoutSeconds,
          noInput: RetryFields.noInput,
          noMatch: RetryFields.noMatch,
        },
        Strict,
      ),
    ),
    prompt: Text,
    next: NodeId,
  },
  Strict,
);

const InfoNode = Type.Object(
  { type: Type.Literal('info'), topic: NodeId, text: Text, next: NodeId },
  Strict,
);

const VoicemailNode = Type.Object(
  {
    type: Type.Literal('voicemail'),
    /** Said before the beep: what is kept, for how long, and how to finish (#). */
    prompt: Text,
    maxSeconds: Type.Optional(Type.Integer({ minimum: 5, maximum: 300 })),
    next: NodeId,
  },
  Strict,
);

const HangupNode = Type.Object(
  { type: Type.Literal('hangup'), prompt: Type.Optional(Text) },
  Strict,
);

export const NODE_SCHEMAS = {
  say: SayNode,
  menu: MenuNode,
  collect: CollectNode,
  hours: HoursNode,
  language: LanguageNode,
  transfer: TransferNode,
  callback: CallbackNode,
  info: InfoNode,
  voicemail: VoicemailNode,
  hangup: HangupNode,
} as const satisfies Record<string, TSchema>;

export type NodeType = keyof typeof NODE_SCHEMAS;

export const FlowHeaderSchema = Type.Object(
  {
    version: Type.Literal(FLOW_VERSION),
    name: Type.String({ minLength: 1, maxLength: 80 }),
    /** The language callers hear first, and the only one unless `languages` lists more. */
    language: LanguageTag,
    /** Every language the flow speaks; each per-language text must cover all of them. */
    languages: Type.Optional(Type.Array(LanguageTag, { minItems: 1, uniqueItems: true })),
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

export type Text = Static<typeof Text>;
export type Phrases = Static<typeof Phrases>;
export type Choice = Static<typeof Choice>;
export type SayNode = Static<typeof SayNode>;
export type MenuNode = Static<typeof MenuNode>;
export type MenuOption = Static<typeof MenuOption>;
export type CollectNode = Static<typeof CollectNode>;
export type HoursNode = Static<typeof HoursNode>;
export type LanguageNode = Static<typeof LanguageNode>;
export type TransferNode = Static<typeof TransferNode>;
export type CallbackNode = Static<typeof CallbackNode>;
export type InfoNode = Static<typeof InfoNode>;
export type HangupNode = Static<typeof HangupNode>;
export type VoicemailNode = Static<typeof VoicemailNode>;
export type FlowNode =
  | SayNode
  | MenuNode
  | CollectNode
  | HoursNode
  | LanguageNode
  | TransferNode
  | CallbackNode
  | InfoNode
  | VoicemailNode
  | HangupNode;

export type RetrySettings = Pick<
  MenuNode,
  'retries' | 'timeoutSeconds' | 'noInput' | 'noMatch' | 'onFailure'
>;

export interface Flow extends Omit<Static<typeof FlowHeaderSchema>, 'nodes'> {
  nodes: Record<string, FlowNode>;
}

/** Every language a flow speaks: `languages`, or just `language`. */
export function flowLanguages(flow: Pick<Flow, 'language' | 'languages'>): string[] {
  return flow.languages ?? [flow.language];
}
