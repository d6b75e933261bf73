import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { buildWav } from '../../audio/wav.js';
import { PROMPT_SAMPLE_RATE } from '../../prompts/prompt-audio-port.js';
import { writeFileAtomic } from '../../shared/write-file-atomic.js';
import { actorOf, type WebAuth } from '../auth/web-auth.js';
import { field } from '../plugins/form-body.js';
import { requireLogin } from '../plugins/request-guards.js';
import {
  findEntry,
  type PromptEntry,
  promptEntries,
  uploadPath,
} from '../settings/prompt-catalog.js';
import {
  MAX_RECORDING_BYTES,
  RecordingRejectedError,
  telephoneRecording,
} from '../settings/recording-upload.js';
import type { SystemPagesDeps } from '../settings/system-pages-deps.js';
import { writeFailure } from '../write-failure.js';
import { PROMPTS_MESSAGES } from './prompts-messages.js';
import { promptsPage } from './prompts-page.js';
import { writeFailureText } from './write-failure-messages.js';

type PromptParams = { Params: { language: string; id: string } };
const WAV_TYPES = ['audio/wav', 'audio/x-wav', 'audio/wave', 'audio/vnd.wave'];
/** The upload's body as the route sees it: the CSRF token comes in a header with raw audio. */
interface UploadBody {
  csrf: string;
  wav: Buffer;
}

/**
 * /prompts (admin): every prompt of the active flow and the emergency notice per language,
 * to listen to (synthesised voice or uploaded recording), render again, or replace with a
 * recording. Ids and languages in URLs are only looked up in the flow's list.
 */
export function registerPromptsPage(app: FastifyInstance, auth: WebAuth, deps: SystemPagesDeps) {
  const guard = { onRequest: requireLogin(auth, ['admin']) };
  const entries = () => promptEntries(deps.flow(), deps.running.call.emergencyNotice);
  const lookup = (request: FastifyRequest<PromptParams>) =>
    findEntry(entries(), request.params.language, request.params.id);
  const audit = (
    request: FastifyRequest,
    action: string,
    subject: string | null,
    outcome: 'done' | 'refused' | 'failed',
    detail: Record<string, unknown> = {},
  ) => auth.audit({ actor: actorOf(request.webSession), action, subject, outcome, detail });
  const notFound = (request: FastifyRequest, reply: FastifyReply) =>
    reply
      .code(404)
      .type('text/plain; charset=utf-8')
      .send(`${PROMPTS_MESSAGES[request.locale].unknownPrompt}\n`);

  app.get<{ Querystring: { done?: string; n?: string } }>(
    '/prompts',
    guard,
    async (request, reply) => {
      const m = PROMPTS_MESSAGES[request.locale];
      const done = request.query.done;
      const notice =
        done === 'rendered'
          ? m.rendered(Number(request.query.n) || 0)
          : done === 'uploaded'
            ? m.uploaded
            : done === 'removed'
              ? m.removed
              : null;
      return reply.type('text/html; charset=utf-8').send(
        promptsPage({
          flowName: deps.flow().name,
          entries: entries(),
          recordingsDir: deps.recordingsDir,
          session: request.webSession!,
          locale: request.locale,
          notice,
          error: null,
        }),
      );
    },
  );

  app.get<PromptParams & { Querystring: { text?: string } }>(
    '/prompts/audio/:language/:id',
    guard,
    async (request, reply) => {
      const entry = lookup(request);
      const text = entry?.texts[Number(request.query.text ?? 0)];
      if (!entry || text === undefined) return notFound(request, reply);
      const { samples } = await deps.prompts.synthesized({
        id: entry.id,
        text,
        language: entry.language,
      });
      return sendWav(reply, buildWav([samples], { sampleRate: PROMPT_SAMPLE_RATE }));
    },
  );

  app.get<PromptParams>('/prompts/recording/:language/:id', guard, async (request, reply) => {
    const entry = lookup(request);
    if (!entry) return notFound(request, reply);
    let bytes: Buffer;
    try {
      bytes = readFileSync(uploadPath(deps.recordingsDir, entry));
    } catch {
      return notFound(request, reply);
    }
    return sendWav(reply, bytes);
  });

  app.post('/prompts/render', guard, async (request, reply) => {
    const m = PROMPTS_MESSAGES[request.locale];
    const which = field(request.body, 'prompt');
    const all = entries();
    const chosen = which === 'all' ? all : all.filter((e) => `${e.language}/${e.id}` === which);
    if (chosen.length === 0) {
      audit(request, 'prompts.render', which.slice(0, 80) || null, 'refused', {
        reason: 'unknown prompt',
      });
      return reply.code(404).type('text/plain; charset=utf-8').send(`${m.unknownPrompt}\n`);
    }
    let count = 0;
    try {
      for (const entry of chosen) {
        for (const text of entry.texts) {
          await deps.prompts.synthesized(
            { id: entry.id, text, language: entry.language },
            { force: true },
          );
          count++;
        }
        deps.prompts.forget(entry.id, entry.language);
      }
    } catch (error) {
      audit(request, 'prompts.render', which, 'failed', {
        rendered: count,
        error: (error as Error).message,
      });
      return reply
        .code(500)
        .type('text/html; charset=utf-8')
        .send(
          promptsPage({
            flowName: deps.flow().name,
            entries: all,
            recordingsDir: deps.recordingsDir,
            session: request.webSession!,
            locale: request.locale,
            notice: null,
            error: m.renderFailed((error as Error).message),
          }),
        );
    }
    audit(request, 'prompts.render', which, 'done', { rendered: count });
    return reply.redirect(`/prompts?done=rendered&n=${count}`, 303);
  });

  app.post<PromptParams>(
    '/prompts/recording/:language/:id/delete',
    guard,
    async (request, reply) => {
      const entry = lookup(request);
      if (!entry) {
        audit(request, 'prompts.recording.remove', null, 'refused', { reason: 'unknown prompt' });
        return notFound(request, reply);
      }
      rmSync(uploadPath(deps.recordingsDir, entry), { force: true });
      deps.prompts.forget(entry.id, entry.language);
      audit(request, 'prompts.recording.remove', subjectOf(entry), 'done');
      return reply.redirect('/prompts?done=removed', 303);
    },
  );

  // Raw audio/wav bodies only here, up to the recording limit; the rest of the app keeps 64 kB.
  app.register(async (scoped) => {
    scoped.addContentTypeParser(
      WAV_TYPES,
      { parseAs: 'buffer', bodyLimit: MAX_RECORDING_BYTES },
      (request, body, done) => {
        const header = request.headers['x-csrf-token'];
        done(null, { csrf: typeof header === 'string' ? header : '', wav: body as Buffer });
      },
    );
    scoped.setErrorHandler((error, request, reply) => {
      const status = (error as { statusCode?: number }).statusCode ?? 500;
      if (status !== 413 && status !== 415) throw error;
      const m = PROMPTS_MESSAGES[request.locale];
      audit(request, 'prompts.recording.upload', null, 'refused', {
        reason: (error as Error).message,
      });
      return reply
        .code(status)
        .type('text/plain; charset=utf-8')
        .send(`${status === 413 ? m.rejected['too-large'] : m.rejected['wrong-type']}\n`);
    });

    scoped.post<PromptParams>(
      '/prompts/recording/:language/:id',
      { ...guard, bodyLimit: MAX_RECORDING_BYTES },
      async (request, reply) => {
        const m = PROMPTS_MESSAGES[request.locale];
        const entry = lookup(request);
        if (!entry) {
          audit(request, 'prompts.recording.upload', null, 'refused', { reason: 'unknown prompt' });
          return notFound(request, reply);
        }
        const body = request.body as Partial<UploadBody> | undefined;
        if (!Buffer.isBuffer(body?.wav)) {
          audit(request, 'prompts.recording.upload', subjectOf(entry), 'refused', {
            reason: 'not audio/wav',
          });
          return reply
            .code(415)
            .type('text/plain; charset=utf-8')
            .send(`${m.rejected['wrong-type']}\n`);
        }
        let wav: Uint8Array;
        try {
          wav = telephoneRecording(body.wav);
        } catch (error) {
          if (!(error instanceof RecordingRejectedError)) throw error;
          audit(request, 'prompts.recording.upload', subjectOf(entry), 'refused', {
            reason: error.problem.reason,
            detail: error.problem.detail,
          });
          return reply
            .code(400)
            .type('text/plain; charset=utf-8')
            .send(`${m.rejected[error.problem.reason]} (${error.problem.detail})\n`);
        }
        const file = uploadPath(deps.recordingsDir, entry);
        try {
          mkdirSync(dirname(file), { recursive: true });
          writeFileAtomic(file, wav, { mode: 0o640 });
        } catch (error) {
          const failure = writeFailure(error);
          if (!failure) throw error;
          audit(request, 'prompts.recording.upload', subjectOf(entry), 'failed', {
            reason: failure.kind,
            error: failure.detail,
          });
          return reply
            .code(failure.status)
            .type('text/plain; charset=utf-8')
            .send(`${writeFailureText(failure, request.locale)}\n`);
        }
        deps.prompts.forget(entry.id, entry.language);
        audit(request, 'prompts.recording.upload', subjectOf(entry), 'done', {
          bytes: body.wav.length,
        });
        return reply.type('text/plain; charset=utf-8').send(`${m.uploaded}\n`);
      },
    );
  });
}

function subjectOf(entry: PromptEntry): string {
  return `${entry.language}/${entry.id}`;
}

function sendWav(reply: FastifyReply, bytes: Uint8Array) {
  return reply
    .type('audio/wav')
    .header('content-disposition', 'inline')
    .header('cache-control', 'no-cache')
    .send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}
