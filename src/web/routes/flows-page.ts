import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Flow } from '../../ivr/flow-schema.js';
import type { InputProblem } from '../../shared/errors.js';
import { actorOf, type WebAuth } from '../auth/web-auth.js';
import { type FlowInEffect, flowHash } from '../flows/flow-file-store.js';
import { checkFlowText, MAX_FLOW_BYTES } from '../flows/flow-text-check.js';
import type { FlowsPageDeps } from '../flows/flows-page-deps.js';
import { field } from '../plugins/form-body.js';
import { requireLogin } from '../plugins/request-guards.js';
import { writeFailure } from '../write-failure.js';
import { FLOWS_MESSAGES } from './flows-messages.js';
import { type FlowsPageState, flowsPage } from './flows-page-view.js';
import { registerFlowTestCallRoutes } from './flows-test-call-routes.js';
import { writeFailureText } from './write-failure-messages.js';

/**
 * Room for a flow of MAX_FLOW_BYTES in a form post, where a line break becomes %0D%0A and
 * other characters up to three times their size. Larger bodies are refused by fastify (413)
 * before anything is read; a flow past MAX_FLOW_BYTES inside this gets a message on the page.
 */
export const FLOW_BODY_LIMIT = 4 * MAX_FLOW_BYTES;

/** The name problems are reported under (the file the editor's text would become). */
const DRAFT_NAME = 'flow';

/**
 * /flows (admin only): edit the flow in effect with the checks of `linekeeper check-flow`, save
 * it to <dataDir>/flows/active.yaml (atomically, previous version kept, audited) and have the
 * running appliance load it between calls; see its menu tree; place test calls (below).
 */
export function registerFlowsPage(app: FastifyInstance, auth: WebAuth, deps: FlowsPageDeps): void {
  const guard = { onRequest: requireLogin(auth, ['admin']) };
  const posted = { ...guard, bodyLimit: FLOW_BODY_LIMIT };

  app.get<{ Querystring: { done?: string } }>('/flows', guard, async (request, reply) => {
    const m = FLOWS_MESSAGES[request.locale];
    const done = request.query.done;
    const notice =
      done === 'saved'
        ? m.saved
        : done === 'reverted'
          ? m.reverted
          : done === 'unchanged'
            ? m.noEditedFlow
            : null;
    return sendPage(reply, baseState(request, deps, notice ? { kind: 'ok', text: notice } : null));
  });

  app.post('/flows/check', posted, async (request, reply) => {
    const m = FLOWS_MESSAGES[request.locale];
    const text = editorText(request.body);
    const state = baseState(request, deps, null);
    state.editorText = text;
    const checked = checkFlowText(text, DRAFT_NAME, deps.forConfig);
    if (!checked.ok) {
      state.notice = {
        kind: 'error',
        text: checked.tooLarge
          ? m.tooLarge(kb(checked.tooLarge), kb(MAX_FLOW_BYTES))
          : m.notChecked(checked.problems.length),
      };
      state.problems = checked.problems;
      state.diagram = null;
      return sendPage(reply.code(checked.tooLarge ? 413 : 400), state);
    }
    state.notice = { kind: 'ok', text: m.checkedOk };
    state.warnings = checked.parsed.warnings;
    state.diagram = { flow: checked.parsed.flow, draft: true };
    return sendPage(reply, state);
  });

  app.post('/flows', posted, async (request, reply) => {
    const m = FLOWS_MESSAGES[request.locale];
    const session = request.webSession!;
    const text = editorText(request.body);
    const checked = checkFlowText(text, DRAFT_NAME, deps.forConfig);
    if (!checked.ok) {
      auth.audit({
        actor: actorOf(session),
        action: 'flows.save',
        subject: 'active.yaml',
        outcome: 'refused',
        detail: checked.tooLarge
          ? { reason: 'too large', bytes: checked.tooLarge }
          : { reason: 'invalid', problems: checked.problems.length, hash: flowHash(text) },
      });
      const state = baseState(request, deps, {
        kind: 'error',
        text: checked.tooLarge
          ? m.tooLarge(kb(checked.tooLarge), kb(MAX_FLOW_BYTES))
          : m.notSaved(checked.problems.length),
      });
      state.editorText = text;
      state.problems = checked.problems;
      return sendPage(reply.code(checked.tooLarge ? 413 : 400), state);
    }
    let hashes: { oldHash: string; newHash: string };
    try {
      hashes = deps.store.save(text);
    } catch (error) {
      const failure = writeFailure(error);
      if (!failure) throw error;
      auth.audit({
        actor: actorOf(session),
        action: 'flows.save',
        subject: 'active.yaml',
        outcome: 'failed',
        detail: { reason: failure.kind, error: failure.detail, hash: flowHash(text) },
      });
      // The editor keeps the admin's text: nothing typed is lost while space is freed.
      const state = baseState(request, deps, {
        kind: 'error',
        text: writeFailureText(failure, request.locale),
      });
      state.editorText = text;
      return sendPage(reply.code(failure.status), state);
    }
    const { oldHash, newHash } = hashes;
    let loaded: string;
    try {
      loaded = await deps.reload();
    } catch (error) {
      const message = (error as Error).message;
      auth.audit({
        actor: actorOf(session),
        action: 'flows.save',
        subject: 'active.yaml',
        outcome: 'failed',
        detail: { oldHash, newHash, reload: message },
      });
      return sendPage(
        reply.code(500),
        baseState(request, deps, { kind: 'error', text: m.reloadFailed(message) }),
      );
    }
    auth.audit({
      actor: actorOf(session),
      action: 'flows.save',
      subject: 'active.yaml',
      outcome: 'done',
      detail: {
        oldHash,
        newHash,
        name: checked.parsed.flow.name,
        nodes: Object.keys(checked.parsed.flow.nodes).length,
        warnings: checked.parsed.warnings.length,
        reload: loaded,
      },
    });
    return reply.redirect('/flows?done=saved', 303);
  });

  app.post('/flows/revert', guard, async (request, reply) => {
    const m = FLOWS_MESSAGES[request.locale];
    const session = request.webSession!;
    let reverted: ReturnType<typeof deps.store.revert>;
    try {
      reverted = deps.store.revert();
    } catch (error) {
      const failure = writeFailure(error);
      if (!failure) throw error;
      auth.audit({
        actor: actorOf(session),
        action: 'flows.revert',
        subject: 'active.yaml',
        outcome: 'failed',
        detail: { reason: failure.kind, error: failure.detail },
      });
      return sendPage(
        reply.code(failure.status),
        baseState(request, deps, {
          kind: 'error',
          text: writeFailureText(failure, request.locale),
        }),
      );
    }
    if (!reverted) return reply.redirect('/flows?done=unchanged', 303);
    try {
      const loaded = await deps.reload();
      auth.audit({
        actor: actorOf(session),
        action: 'flows.revert',
        subject: 'active.yaml',
        outcome: 'done',
        detail: { ...reverted, reload: loaded },
      });
    } catch (error) {
      const message = (error as Error).message;
      auth.audit({
        actor: actorOf(session),
        action: 'flows.revert',
        subject: 'active.yaml',
        outcome: 'failed',
        detail: { ...reverted, reload: message },
      });
      return sendPage(
        reply.code(500),
        baseState(request, deps, { kind: 'error', text: m.reloadFailed(message) }),
      );
    }
    return reply.redirect('/flows?done=reverted', 303);
  });

  registerFlowTestCallRoutes(app, auth, deps, { ...guard, bodyLimit: FLOW_BODY_LIMIT });
  app.addHook('onClose', async () => {
    await deps.testCalls.stop();
  });
}

/** The page as GET shows it: the flow in effect in the editor, checked, with its diagram. */
function baseState(
  request: FastifyRequest,
  deps: FlowsPageDeps,
  notice: FlowsPageState['notice'],
): FlowsPageState {
  const m = FLOWS_MESSAGES[request.locale];
  let inEffect: FlowInEffect | null = null;
  let problems: InputProblem[] = [];
  let warnings: InputProblem[] = [];
  let diagram: { flow: Flow; draft: boolean } | null = null;
  try {
    inEffect = deps.store.inEffect();
    const checked = checkFlowText(inEffect.text, inEffect.file, deps.forConfig);
    if (checked.ok) {
      warnings = checked.parsed.warnings;
      diagram = { flow: checked.parsed.flow, draft: false };
    } else problems = checked.problems;
  } catch (error) {
    notice = { kind: 'error', text: m.unreadable((error as Error).message) };
  }
  return {
    session: request.webSession!,
    locale: request.locale,
    inEffect,
    previousFile: deps.store.hasPrevious() ? deps.store.paths.previous : null,
    editorText: inEffect?.text ?? '',
    notice,
    problems,
    warnings,
    diagram,
    speech: deps.testCalls.speech,
  };
}

function sendPage(reply: FastifyReply, state: FlowsPageState) {
  return reply.type('text/html; charset=utf-8').send(flowsPage(state));
}

/** Browsers send a textarea's line breaks as CRLF; the file keeps the LF the YAML was in. */
function editorText(body: unknown): string {
  return field(body, 'flow').replace(/\r\n?/g, '\n');
}

function kb(bytes: number): number {
  return Math.ceil(bytes / 1024);
}
