/**
 * <usage-action-export-users> against the REAL actions service (scripts/wtr-actions.mjs): the
 * export is created, downloaded with the token and saved through the element's `save` hook (the
 * default hands a Blob to an `<a download>`; the tests keep the Blob instead). The only stand-in
 * is a fetch that holds the download's answer back for a moment, so Cancel has a running job to stop.
 */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { ActionsClient, ExportProgress } from '@usage-analytics/actions';
import { defaultFilters } from '@usage-analytics/queries';
import '../src/index.js';
import { activeElementDeep } from '../src/components/action-dialog/action-dialog.component.js';
import type { UsageActionCompleteEvent } from '../src/events/usage-action.js';
import { actionsSession, type Session, LONG, text, $, part, click, insideEl, waitPhase } from './helpers/actions.js';
import { sendKeys } from './helpers/commands.js';

const analyst = () => actionsSession('roles=business_analyst&departments=*&user=ba-1');
const success = () => actionsSession('roles=customer_success&departments=*&user=cs-1');

/** A client; with `holdDownloadMs`, the download's answer arrives that much later (the service has the job meanwhile). */
function holdingClient(s: Session, holdDownloadMs = 0, base = s.url) {
  const f: typeof fetch = async (input, init) => {
    if (holdDownloadMs && String(input).endsWith('/download')) {
      await new Promise((resolve, reject) => {
        const t = setTimeout(resolve, holdDownloadMs);
        init?.signal?.addEventListener('abort', () => {
          clearTimeout(t);
          reject(new DOMException('aborted', 'AbortError'));
        });
      });
    }
    return fetch(input, init);
  };
  return new ActionsClient({ baseUrl: base, token: () => s.token, fetch: f });
}

const saved: { blob: Blob; name: string }[] = [];
async function mount(s: Session, holdDownloadMs = 0, base = s.url) {
  const wrap = await fixture<HTMLElement>(
    html`<div><usage-action-export-users .actions=${holdingClient(s, holdDownloadMs, base)}></usage-action-export-users></div>`,
  );
  const el = wrap.querySelector('usage-action-export-users')!;
  el.save = (blob, name) => saved.push({ blob, name });
  await waitUntil(() => el.allowed !== undefined, 'me() did not load', LONG);
  await el.updateComplete;
  return el;
}

describe('<usage-action-export-users> on the real actions service', () => {
  it('business_analyst: personal fields annotated and listed as redacted; the JSON file has totalRows rows, names empty; keyboard + axe', async () => {
    const s = await analyst();
    const el = await mount(s);
    const trigger = part(el, 'trigger') as HTMLButtonElement;
    expect(text(trigger)).to.equal('Export user list…');
    trigger.focus();
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    const dialog = $<HTMLDialogElement>(el, 'dialog')!;
    expect(dialog.matches(':modal')).to.equal(true);
    expect(insideEl(dialog, activeElementDeep())).to.equal(true);
    expect(el.maySeePii).to.equal(false);
    expect(text($(el, '[data-pii="name"]'))).to.match(/personal data: your role may not see it/);
    expect(text($(el, '[data-pii="email"]'))).to.match(/personal data: your role may not see it/);
    expect($(el, '[data-pii="user_id"]')).to.equal(null);
    expect(text($(el, '[data-filters]'))).to.equal('last 30d; agent statuses: active; environments: production');
    await expect(el).to.be.accessible();
    for (let i = 0; i < 16; i++) {
      await sendKeys({ press: 'Tab' });
      expect(insideEl(dialog, activeElementDeep()), `Tab ${i + 1} left the dialog`).to.equal(true);
    }
    // Keyboard: JSON with the arrow keys in the format group.
    ($(el, 'input[name="format"][value="csv"]') as HTMLInputElement).focus();
    await sendKeys({ press: 'ArrowDown' });
    await el.updateComplete;
    expect(el.format).to.equal('json');

    await click(el, 'review-button');
    expect(el.phase).to.equal('review');
    expect(text($(el, '[data-review="redacted"]'))).to.equal('Name, E-mail');
    await expect(el).to.be.accessible();
    const done = oneEvent(el, 'usage-action-complete') as Promise<UsageActionCompleteEvent>;
    await sendKeys({ press: 'Enter' });
    await waitPhase(el, 'result');
    await done;
    const r = el.result!;
    expect(r.outcome).to.equal('saved');
    expect(r.redacted).to.deep.equal(['name', 'email']);
    expect(r.totalRows).to.be.greaterThan(0);
    const rows = JSON.parse(await el.file!.text()) as Record<string, unknown>[];
    expect(rows.length).to.equal(r.totalRows);
    expect(rows.every((row) => row.name === null && row.email === null)).to.equal(true);
    expect(Object.keys(rows[0])).to.deep.equal([...r.fields]);
    expect(saved.at(-1)!.blob).to.equal(el.file);
    expect(saved.at(-1)!.name).to.match(/^users-\d{4}-\d{2}-\d{2}\.json$/);
    expect(text($(el, '[data-result="redacted"]'))).to.equal('name, email');
    const job = ExportProgress.parse(await (await fetch(`${s.url}/v1/exports/${r.jobId}`, { headers: { authorization: `Bearer ${s.token}` } })).json());
    expect(job).to.include({ status: 'done', rowsWritten: r.totalRows, totalRows: r.totalRows });
    await expect(el).to.be.accessible();
  });

  it('customer_success, filters from the provider: CSV with chosen fields, names present, rows = totalRows', async () => {
    const s = await success();
    const filters = defaultFilters({ timeRange: { preset: '90d' }, agentStatuses: [] });
    const wrap = await fixture<HTMLElement>(
      html`<usage-provider .filters=${filters}><usage-action-export-users .actions=${holdingClient(s)}></usage-action-export-users></usage-provider>`,
    );
    const el = wrap.querySelector('usage-action-export-users')!;
    el.save = (blob, name) => saved.push({ blob, name });
    await waitUntil(() => el.allowed !== undefined, 'me() did not load', LONG);
    expect(el.effectiveFilters).to.deep.equal(filters);
    el.show();
    await el.updateComplete;
    expect(el.maySeePii).to.equal(true);
    expect(text($(el, '[data-pii="name"]'))).to.equal('(personal data)');
    // Untick with the keyboard: Space on a checkbox.
    for (const f of ['segment', 'active_days', 'agents_used', 'first_seen', 'last_seen', 'email']) {
      ($(el, `input[name="fields"][value="${f}"]`) as HTMLInputElement).focus();
      await sendKeys({ press: 'Space' });
    }
    await el.updateComplete;
    expect(el['input']().fields).to.deep.equal(['user_id', 'department', 'requests', 'name']);
    await click(el, 'review-button');
    expect($(el, '[data-review="redacted"]')).to.equal(null);
    await click(el, 'confirm-button');
    await waitPhase(el, 'result');
    const r = el.result!;
    expect(r.redacted).to.deep.equal([]);
    const lines = (await el.file!.text()).trim().split(/\r?\n/);
    expect(lines[0]).to.equal('user_id,department,requests,name');
    expect(lines.length - 1).to.equal(r.totalRows);
    expect(lines.slice(1).some((l) => !l.endsWith(','))).to.equal(true);
    expect(text($(el, '[data-result="totalRows"]'))).to.equal(new Intl.NumberFormat('en-US').format(r.totalRows));
  });

  it('Cancel during the download aborts it, cancels the job on the service and reports cancelled; a new Confirm is a new export', async () => {
    // Through the same-origin proxy; the next test cancels straight on the service's origin (CORS).
    const s = await analyst();
    const el = await mount(s, 3_000, s.proxy);
    const before = saved.length;
    el.show();
    await el.updateComplete;
    await click(el, 'review-button');
    await click(el, 'confirm-button');
    await waitUntil(() => el.run?.jobId !== undefined, 'the export did not start', LONG);
    await el.updateComplete;
    expect(text(part(el, 'export-progress'))).to.match(/0 of [\d,]+ rows written, 0 bytes downloaded/);
    expect(part(el, 'progress')!.getAttribute('max')).to.equal(String(el.run!.totalRows));
    expect(activeElementDeep()?.getAttribute('part')).to.equal('stop-button');
    await expect(el).to.be.accessible();
    const jobId = el.run!.jobId!;
    await sendKeys({ press: 'Enter' });
    await waitPhase(el, 'result');
    expect(el.result!.outcome).to.equal('cancelled');
    expect(el.result!.cancelError).to.equal(undefined);
    expect(text($(el, '#result-title'))).to.contain('Export cancelled');
    expect(text($(el, '[data-result="outcome"]'))).to.match(/^Cancelled after 0 of [\d,]+ rows; no file was saved\.$/);
    expect(el.file).to.equal(undefined);
    expect(saved.length).to.equal(before);
    const job = ExportProgress.parse(await (await fetch(`${s.url}/v1/exports/${jobId}`, { headers: { authorization: `Bearer ${s.token}` } })).json());
    expect(job.status).to.equal('cancelled');
    await expect(el).to.be.accessible();

    // Again with the same form: a new key, so a new job that downloads.
    await click(el, 'cancel-button');
    el.show();
    await el.updateComplete;
    await click(el, 'review-button');
    await click(el, 'confirm-button');
    await waitPhase(el, 'result');
    expect(el.result!.outcome).to.equal('saved');
    expect(el.result!.jobId).to.not.equal(jobId);
  });

  it('Cancel straight to the service from another origin: the download stops and the job is cancelled there too (CORS allows the DELETE)', async () => {
    const s = await analyst();
    const el = await mount(s, 3_000);
    el.show();
    await el.updateComplete;
    await click(el, 'review-button');
    await click(el, 'confirm-button');
    await waitUntil(() => el.run?.jobId !== undefined, 'the export did not start', LONG);
    await el.updateComplete;
    const jobId = el.run!.jobId!;
    await click(el, 'stop-button');
    await waitPhase(el, 'result');
    expect(el.result!.outcome).to.equal('cancelled');
    expect(el.file).to.equal(undefined);
    expect(el.result!.cancelError).to.equal(undefined);
    expect($(el, '[data-result="cancelError"]')).to.equal(null);
    const job = ExportProgress.parse(await (await fetch(`${s.url}/v1/exports/${jobId}`, { headers: { authorization: `Bearer ${s.token}` } })).json());
    expect(job.status).to.equal('cancelled');
  });

  it('no fields: an inline message on the checklist; a role without the action sees no trigger and the 403 as text', async () => {
    const s = await analyst();
    const el = await mount(s);
    el.show();
    await el.updateComplete;
    el.fields = [];
    await el.updateComplete;
    await click(el, 'review-button');
    expect(el.phase).to.equal('form');
    const group = $(el, '#f-fields')!;
    expect(group.getAttribute('aria-invalid')).to.equal('true');
    expect(group.getAttribute('aria-describedby')!.split(' ')).to.include('err-fields');
    expect(text($(el, '[id="err-fields"]'))).to.match(/at least one field/);
    await expect(el).to.be.accessible();
    ($(el, 'input[name="fields"][value="user_id"]') as HTMLInputElement).click();
    await el.updateComplete;
    expect(group.getAttribute('aria-invalid')).to.equal('false');

    const pm = await mount(await actionsSession('roles=product_manager&departments=*&user=pm-2'));
    expect(pm.allowed).to.equal(false);
    expect(part(pm, 'trigger')).to.equal(null);
    pm.show();
    await pm.updateComplete;
    await click(pm, 'review-button');
    await click(pm, 'confirm-button');
    await waitPhase(pm, 'error');
    expect(pm.failure?.status).to.equal(403);
    expect(text(part(pm, 'error'))).to.contain('Not allowed');
    await expect(pm).to.be.accessible();
  });
});
