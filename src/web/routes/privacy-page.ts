import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DataSubjectRequests } from '../../privacy/data-subject-requests.js';
import type { RetentionPolicy } from '../../privacy/retention-policy.js';
import { actorOf, type WebAuth, type WebSession } from '../auth/web-auth.js';
import { html, type SafeHtml } from '../html.js';
import type { Locale } from '../i18n/locale.js';
import { field } from '../plugins/form-body.js';
import { requireLogin } from '../plugins/request-guards.js';
import { layout } from './layout.js';
import { PRIVACY_MESSAGES } from './privacy-messages.js';
import { confirmationLength, confirms, parseSubjectNumber } from './privacy-number.js';

export interface PrivacyPageDeps {
  /** The same data-subject requests the CLI answers (hashing, tables, audit entries). */
  requests: DataSubjectRequests;
  retention: RetentionPolicy;
  /** Voicemail enabled in config: audio is stored (encrypted) for its retention period. */
  voicemail: boolean;
  /** After an erasure: the running appliance forgets the number too (the flood guard). */
  onErased?: (number: string) => void;
}

type Messages = (typeof PRIVACY_MESSAGES)['en'];
type Counts = Readonly<Partial<Record<keyof Messages['kinds'], number>>>;

/**
 * /privacy (admins only): export or erase everything about one phone number, through the
 * domain's DataSubjectRequests exactly as `linekeeper privacy` does, so both write the same
 * audit entries (keyed hash, never the number). Erasure takes a second POST on which the admin
 * types the number's last digits. Pages that show the number are never cached.
 */
export function registerPrivacyPage(
  app: FastifyInstance,
  auth: WebAuth,
  deps: PrivacyPageDeps,
): void {
  const guard = { onRequest: requireLogin(auth, ['admin']) };
  const send = (request: FastifyRequest, reply: FastifyReply, body: SafeHtml, status = 200) => {
    const m = PRIVACY_MESSAGES[request.locale];
    return reply
      .code(status)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(
        layout({
          title: m.title,
          session: request.webSession,
          locale: request.locale,
          active: '/privacy',
          body,
        }).value,
      );
  };
  /** The number from the form, or a 400 page naming the field (audited without the input). */
  const subject = (request: FastifyRequest, reply: FastifyReply, action: string) => {
    const parsed = parseSubjectNumber(field(request.body, 'number'));
    if (parsed) return { parsed, refused: null };
    auth.audit({
      actor: actorOf(request.webSession),
      action,
      subject: null,
      outcome: 'refused',
      detail: { reason: 'malformed number' },
    });
    const m = PRIVACY_MESSAGES[request.locale];
    const page = startPage(m, request.webSession!, deps, m.badNumber);
    return { parsed: null, refused: send(request, reply, page, 400) };
  };

  app.get('/privacy', guard, async (request, reply) =>
    send(request, reply, startPage(PRIVACY_MESSAGES[request.locale], request.webSession!, deps)),
  );

  app.post('/privacy/export', guard, async (request, reply) => {
    const { parsed, refused } = subject(request, reply, 'privacy.export');
    if (!parsed) return refused;
    const exported = deps.requests.export(parsed.number, actorOf(request.webSession));
    const day = exported.request.generatedAt.slice(0, 10);
    return reply
      .type('application/json; charset=utf-8')
      .header('cache-control', 'no-store')
      .header(
        'content-disposition',
        `attachment; filename="linekeeper-privacy-export-${day}-${parsed.digits.slice(-2)}.json"`,
      )
      .send(`${JSON.stringify(exported, null, 2)}\n`);
  });

  app.post('/privacy/review', guard, async (request, reply) => {
    const { parsed, refused } = subject(request, reply, 'privacy.lookup');
    if (!parsed) return refused;
    const counts = deps.requests.count(parsed.number, actorOf(request.webSession));
    return send(request, reply, reviewPage(request.locale, request.webSession!, parsed, counts));
  });

  app.post('/privacy/erase', guard, async (request, reply) => {
    const { parsed, refused } = subject(request, reply, 'privacy.erase');
    if (!parsed) return refused;
    const session = request.webSession!;
    const m = PRIVACY_MESSAGES[request.locale];
    if (!confirms(parsed.digits, field(request.body, 'confirm'))) {
      auth.audit({
        actor: actorOf(session),
        action: 'privacy.erase',
        subject: null,
        outcome: 'refused',
        detail: { reason: 'confirmation did not match' },
      });
      const counts = deps.requests.count(parsed.number, actorOf(session));
      const error = m.review.badConfirm(confirmationLength(parsed.digits));
      return send(request, reply, reviewPage(request.locale, session, parsed, counts, error), 400);
    }
    const erased = deps.requests.erase(parsed.number, actorOf(session));
    deps.onErased?.(parsed.number);
    const body = html`<h2>${m.erased.heading}</h2>
<p>${m.erased.intro}</p>
${countsTable(m, erased, 'erased-counts')}
<p>${m.erased.auditKept}</p>
<p><a href="/privacy">${m.review.back}</a></p>`;
    return send(request, reply, body);
  });
}

function numberForm(m: Messages, session: WebSession, value: string, error: string | null) {
  return html`<form method="post" action="/privacy/review" class="stacked" id="privacy-form">
<input type="hidden" name="csrf" value="${session.csrfToken}">
<label>${m.number} <input name="number" id="number" value="${value}" required maxlength="40" inputmode="tel" autocomplete="off" placeholder="${m.numberHint}"${error ? html` aria-invalid="true" aria-describedby="form-error"` : ''}></label>
${error ? html`<p class="error" role="alert" id="form-error">${error}</p>` : ''}
<p class="actions"><button type="submit" formaction="/privacy/export" id="export">${m.exportButton}</button> <button type="submit" id="review">${m.reviewButton}</button></p>
</form>`;
}

function startPage(
  m: Messages,
  session: WebSession,
  deps: PrivacyPageDeps,
  error: string | null = null,
): SafeHtml {
  return html`<h2>${m.heading}</h2>
<p>${m.intro}</p>
${numberForm(m, session, '', error)}
${storedSection(m, deps)}`;
}

function reviewPage(
  locale: Locale,
  session: WebSession,
  subject: { number: string; digits: string },
  counts: Counts,
  error: string | null = null,
): SafeHtml {
  const m = PRIVACY_MESSAGES[locale];
  const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
  const digits = confirmationLength(subject.digits);
  return html`<h2>${m.review.heading(subject.number)}</h2>
<p>${total === 0 ? m.review.nothing : m.review.found}</p>
${countsTable(m, counts, 'found-counts')}
<form method="post" action="/privacy/export">
<input type="hidden" name="csrf" value="${session.csrfToken}">
<input type="hidden" name="number" value="${subject.number}">
<p>${m.review.exportNote}</p>
<button type="submit" id="export">${m.exportButton}</button>
</form>
<h3>${m.review.eraseHeading}</h3>
<form method="post" action="/privacy/erase" class="stacked" id="erase-form">
<input type="hidden" name="csrf" value="${session.csrfToken}">
<input type="hidden" name="number" value="${subject.number}">
<p>${m.review.eraseWarning}</p>
<label>${m.review.confirm(digits)} <input name="confirm" id="confirm" required inputmode="numeric" autocomplete="off" pattern="[0-9]{${digits}}" maxlength="${digits}" size="6"${error ? html` aria-invalid="true" aria-describedby="form-error"` : ''}></label>
${error ? html`<p class="error" role="alert" id="form-error">${error}</p>` : ''}
<button type="submit" id="erase" class="danger">${m.review.eraseButton}</button>
</form>
<p><a href="/privacy">${m.review.back}</a></p>`;
}

function countsTable(m: Messages, counts: Counts, id: string): SafeHtml {
  return html`<table id="${id}" class="counts"><tbody>${Object.entries(counts).map(
    ([kind, n]) =>
      html`<tr data-kind="${kind}"><th scope="row">${m.kinds[kind as keyof Messages['kinds']] ?? kind}</th><td>${n}</td></tr>`,
  )}</tbody></table>`;
}

function storedSection(m: Messages, deps: PrivacyPageDeps): SafeHtml {
  const r = deps.retention;
  const s = m.stored;
  const rows: [keyof RetentionPolicy, string][] = [
    ['calls', s.days(r.calls)],
    ['callEvents', s.days(r.callEvents)],
    ['callbacks', s.callbacksKept(r.callbacks)],
    ...(deps.voicemail
      ? [['voicemails', s.days(r.voicemails)] as [keyof RetentionPolicy, string]]
      : []),
    ['guardBlocks', s.blocksKept(r.guardBlocks)],
    ['auditLog', s.days(r.auditLog)],
  ];
  return html`<h3>${s.heading}</h3>
<p>${s.intro}</p>
<table id="retention">
<thead><tr><th>${s.what}</th><th>${s.kept}</th></tr></thead>
<tbody>${rows.map(
    ([key, kept]) => html`<tr data-kind="${key}"><td>${s.contents[key]}</td><td>${kept}</td></tr>`,
  )}</tbody>
</table>
${deps.voicemail ? '' : html`<p>${s.voicemailOff}</p>`}
<p>${s.notStored}</p>
<p>${s.docs}</p>`;
}
