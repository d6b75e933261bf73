import type { FastifyInstance, FastifyReply } from 'fastify';
import { buildWav } from '../../audio/wav.js';
import { isDtmfDigit } from '../../line/line-port.js';
import { PROMPT_SAMPLE_RATE } from '../../prompts/prompt-audio-port.js';
import { actorOf, type WebAuth } from '../auth/web-auth.js';
import { flowHash } from '../flows/flow-file-store.js';
import { checkFlowText, MAX_FLOW_BYTES } from '../flows/flow-text-check.js';
import type { FlowsPageDeps } from '../flows/flows-page-deps.js';
import type { TestCall } from '../flows/test-call.js';
import { TestCallLimitError } from '../flows/test-calls.js';
import type { requireLogin } from '../plugins/request-guards.js';
import { validationErrorFormatter } from '../validation-errors.js';
import { FLOWS_MESSAGES } from './flows-messages.js';

const CALL_PARAMS = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: { id: { type: 'string', pattern: '^[0-9a-f-]{36}$' } },
} as const;

const AUDIO_PARAMS = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'n'],
  properties: { ...CALL_PARAMS.properties, n: { type: 'integer', minimum: 0, maximum: 9999 } },
} as const;

/**
 * Every JSON post carries the session's CSRF token as `csrf`. The request guard checks it after
 * validation, so it is not `required` here: a missing token is refused (403) and audited there.
 */
const bodyOf = (properties: Record<string, unknown>, required: string[]) =>
  ({
    type: 'object',
    additionalProperties: false,
    required,
    properties: { csrf: { type: 'string', maxLength: 200 }, ...properties },
  }) as const;

const START_BODY = bodyOf({ flow: { type: 'string', maxLength: MAX_FLOW_BYTES * 2 } }, ['flow']);
const PRESS_BODY = bodyOf({ key: { type: 'string', pattern: '^[0-9*#]$' } }, ['key']);
const SAY_BODY = bodyOf({ text: { type: 'string', minLength: 1, maxLength: 200 } }, ['text']);
const HANGUP_BODY = bodyOf({}, []);

type CallRequest = { Params: { id: string } };

/**
 * JSON routes of the browser test call, for src/web/static/flows.js. Admin only, like the page;
 * a call is visible only to the admin who started it. Start takes the editor's text (a draft
 * may be tried before it is saved), checked exactly as a save would be.
 */
export function registerFlowTestCallRoutes(
  app: FastifyInstance,
  auth: WebAuth,
  deps: FlowsPageDeps,
  guard: { onRequest: ReturnType<typeof requireLogin>; bodyLimit: number },
): void {
  const calls = deps.testCalls;
  const schema = (s: Record<string, unknown>, keys: string[]) => ({
    schema: s,
    schemaErrorFormatter: validationErrorFormatter('body' in s ? ['csrf', ...keys] : keys),
  });

  app.post<{ Body: { csrf: string; flow: string } }>(
    '/flows/test-call',
    { ...guard, ...schema({ body: START_BODY }, ['flow']) },
    async (request, reply) => {
      const t = FLOWS_MESSAGES[request.locale].testCall;
      const session = request.webSession!;
      const text = request.body.flow.replace(/\r\n?/g, '\n');
      const checked = checkFlowText(text, 'flow', deps.forConfig);
      if (!checked.ok) {
        return reply.code(checked.tooLarge ? 413 : 400).send({
          error: t.invalidDraft,
          problems: checked.problems,
        });
      }
      let call: TestCall;
      try {
        call = await calls.start(checked.parsed.flow, session.user.username);
      } catch (error) {
        if (error instanceof TestCallLimitError) {
          return reply.code(429).send({ error: t.limit, detail: error.message });
        }
        throw error;
      }
      const hash = flowHash(text);
      auth.audit({
        actor: actorOf(session),
        action: 'flows.test-call',
        subject: call.id,
        outcome: 'done',
        detail: { flowHash: hash, saved: hash === safeHashInEffect(deps) },
      });
      return reply.code(201).send(call.view());
    },
  );

  app.get<CallRequest>(
    '/flows/test-call/:id',
    { onRequest: guard.onRequest, ...schema({ params: CALL_PARAMS }, ['id']) },
    async (request, reply) => {
      const call = own(request.params.id, request.webSession!.user.username);
      if (!call) return gone(reply, request.locale);
      call.touch();
      return reply.send(call.view());
    },
  );

  app.post<CallRequest & { Body: { key: string } }>(
    '/flows/test-call/:id/press',
    { ...guard, ...schema({ params: CALL_PARAMS, body: PRESS_BODY }, ['id', 'key']) },
    async (request, reply) => {
      const call = own(request.params.id, request.webSession!.user.username);
      if (!call) return gone(reply, request.locale);
      const key = request.body.key;
      // Not an error status when the call is not connected (yet, or any more): a key pressed
      // during ringing is simply not heard, and the page shows the call's state.
      const accepted = isDtmfDigit(key) && call.press(key);
      return reply.send({ accepted, ...call.view() });
    },
  );

  app.post<CallRequest & { Body: { text: string } }>(
    '/flows/test-call/:id/say',
    { ...guard, ...schema({ params: CALL_PARAMS, body: SAY_BODY }, ['id', 'text']) },
    async (request, reply) => {
      const call = own(request.params.id, request.webSession!.user.username);
      if (!call) return gone(reply, request.locale);
      const accepted = call.say(request.body.text.trim());
      return reply.send({ accepted, ...call.view() });
    },
  );

  app.post<CallRequest>(
    '/flows/test-call/:id/hangup',
    { ...guard, ...schema({ params: CALL_PARAMS, body: HANGUP_BODY }, ['id']) },
    async (request, reply) => {
      const call = own(request.params.id, request.webSession!.user.username);
      if (!call) return gone(reply, request.locale);
      call.hangUp();
      await call.settled();
      return reply.send(call.view());
    },
  );

  /** The sound of one prompt, as the line would play it (8 kHz mono), for the page's <audio>. */
  app.get<{ Params: { id: string; n: number } }>(
    '/flows/test-call/:id/audio/:n',
    { onRequest: guard.onRequest, ...schema({ params: AUDIO_PARAMS }, ['id', 'n']) },
    async (request, reply) => {
      const call = own(request.params.id, request.webSession!.user.username);
      const samples = call?.audio(request.params.n);
      if (!samples) return reply.code(404).type('text/plain').send('no sound for this prompt\n');
      return reply
        .type('audio/wav')
        .header('cache-control', 'private, max-age=300')
        .send(Buffer.from(buildWav([samples], { sampleRate: PROMPT_SAMPLE_RATE })));
    },
  );

  function own(id: string, owner: string): TestCall | null {
    return calls.get(id, owner);
  }
}

function gone(reply: FastifyReply, locale: keyof typeof FLOWS_MESSAGES) {
  return reply.code(404).send({ error: FLOWS_MESSAGES[locale].testCall.gone });
}

/** Whether the tried text is the flow in effect; a read failure just means "not known". */
function safeHashInEffect(deps: FlowsPageDeps): string | null {
  try {
    return deps.store.inEffect().hash;
  } catch {
    return null;
  }
}
