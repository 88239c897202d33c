import { describe, expect, it, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import dayjs from 'dayjs';
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { currentUrl, jsonResponse, mockApi, pasteInto, renderApp, setupUser } from '../../../test/render';
import { makeMe } from '../../../test/fixtures';
import { TID } from '../../../testids';
import { jsdomCrypto } from '../../../lib/jsdomCrypto';
import type { CabinetCertificate, CabinetSystem } from '../api/types';

function system(over: Partial<CabinetSystem> = {}): CabinetSystem {
  return {
    id: 's1', name: 'Billing', description: 'Invoices', enabled: true, settings_texts: { ru: 'Проверка', en: 'Checking' },
    allowed_services: ['users.read', 'cabinet'], client_editable: ['description'], client_may_issue: false, certificate_count: 1,
    version: 4, updated_at: '2026-11-01T00:00:00Z', ...over,
  };
}

const CERT: CabinetCertificate = {
  id: 'c1', system_id: 's1', origin: 'csr', subject: 'CN=Billing,OU=system,O=Custos', issuer: 'CN=Custos CA', serial: '0a1b2c',
  fingerprint_sha256: 'ab'.repeat(32), key_algorithm: 'ECDSA P-256', not_before: '2026-01-01T00:00:00Z', not_after: dayjs().add(300, 'day').toISOString(),
  status: 'active', enabled: true, expiring_soon: false, revoked_at: null, revocation_reason: null, version: 1, created_at: '2026-01-01T00:00:00Z', pem: '',
};

type Req = { method: string; path: string; url: URL; body: unknown };

/** api answers a cabinet client (permission `cabinet` only) who owns `systems`. */
function api(systems: CabinetSystem[], more: (req: Req) => Response | undefined = () => undefined) {
  document.cookie = 'custos_csrf=test';
  return mockApi((req) => {
    const { method, path } = req;
    if (path === '/auth/me') return jsonResponse(makeMe(['cabinet']));
    if (method === 'GET' && path === '/cabinet/systems') return jsonResponse({ items: systems, total: systems.length });
    const own = systems.find((s) => path === `/cabinet/systems/${s.id}`);
    if (method === 'GET' && own) return jsonResponse(own);
    if (method === 'GET' && /^\/cabinet\/systems\/[^/]+$/.test(path)) {
      return jsonResponse({ status: 404, code: 'resource.notFound', title: 'Not found' }, 404);
    }
    return more(req);
  });
}

async function openTab(user: ReturnType<typeof setupUser>, label: string) {
  const tabs = await screen.findByTestId(TID.cabinetTabs);
  await user.click(within(tabs).getByRole('tab', { name: label }));
}

describe('client cabinet', () => {
  it('opens the only system directly: its statistics by status class and date with totals', async () => {
    const calls = api([system()], ({ path, url }) =>
      path === '/cabinet/systems/s1/stats'
        ? jsonResponse({
            from: url.searchParams.get('from'), to: url.searchParams.get('to'), total: 9,
            rows: [
              { day: '2026-11-01', status: 200, count: 6 },
              { day: '2026-11-02', status: 403, count: 3 },
            ],
          })
        : undefined,
    );
    renderApp('/');
    const stats = await screen.findByTestId(TID.cabinetStats);
    expect(currentUrl().pathname).toBe('/cabinet/s1');
    expect(screen.getByTestId(TID.pageTitle)).toHaveTextContent('Client cabinet: “Billing”');
    expect(within(screen.getByTestId(TID.sideNav)).getByRole('link', { name: 'Client cabinet' })).toHaveAttribute('href', '/cabinet');
    const totals = await within(stats).findByTestId(TID.statsTotals);
    expect([...totals.querySelectorAll('td')].map((td) => td.textContent)).toEqual(['Total', '6', '3', '9']);
    const chart = within(stats).getByRole('figure', { name: 'Requests per day by status class' });
    await waitFor(() => expect([...chart.querySelectorAll('.recharts-legend-item-text')].map((e) => e.textContent)).toEqual(['2xx', '4xx']));
    expect(calls.some((c) => c.path.startsWith('/systems'))).toBe(false);
  });

  it('lists several systems and opens one', async () => {
    api([system(), system({ id: 's2', name: 'Payroll', certificate_count: 0 })]);
    const user = setupUser();
    renderApp('/cabinet');
    const list = await screen.findByTestId(TID.cabinetList);
    expect(within(list).getByRole('link', { name: 'Payroll' })).toHaveAttribute('href', '/cabinet/s2');
    await user.click(within(list).getByRole('link', { name: 'Billing' }));
    expect(await screen.findByTestId(TID.cabinetSystem)).toBeInTheDocument();
    expect(currentUrl().pathname).toBe('/cabinet/s1');
  });

  it('answers a 404 with a not-found result', async () => {
    api([system()]);
    renderApp('/cabinet/someone-elses');
    expect(await screen.findByText('There is no such system among yours.')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'All my systems' })).toHaveAttribute('href', '/cabinet');
  });

  it('saves only the editable parameters with the version; a stale version shows the conflict; a refused field says so on the field', async () => {
    let patches = 0;
    const calls = api([system()], ({ method, path }) => {
      if (method === 'PATCH' && path === '/cabinet/systems/s1') {
        patches += 1;
        if (patches === 1) return jsonResponse({ status: 409, code: 'resource.versionConflict', title: 'Conflict' }, 409);
        if (patches === 2) {
          return jsonResponse(
            { status: 403, code: 'cabinet.notEditable', title: 'Forbidden', errors: [{ field: 'description', code: 'cabinet.notEditable', message: 'not editable' }] },
            403,
          );
        }
        return jsonResponse(system({ description: 'Invoices v2', version: 5 }));
      }
      return undefined;
    });
    const user = setupUser();
    renderApp('/cabinet/s1?tab=params');
    const params = await screen.findByTestId(TID.cabinetParams);
    expect(within(params).getByLabelText('Name')).toBeDisabled();
    expect(within(params).getByLabelText('Settings text (Russian)')).toBeDisabled();
    expect(within(params).getByLabelText('Settings text (Russian)')).toHaveValue('Проверка');
    const description = within(params).getByLabelText('Description');
    expect(description).toBeEnabled();
    await user.clear(description);
    await pasteInto(user, description, 'Invoices v2');

    await user.click(within(params).getByTestId(TID.cabinetParamsSave));
    expect(await screen.findByTestId(TID.versionConflict)).toHaveTextContent('This record was changed by someone else');
    expect(calls.find((c) => c.method === 'PATCH')?.body).toEqual({ version: 4, description: 'Invoices v2' });

    await user.click(within(params).getByTestId(TID.cabinetParamsSave));
    expect(await within(params).findByText('The administrator has not allowed changing this parameter here')).toBeInTheDocument();

    await user.click(within(params).getByTestId(TID.cabinetParamsSave));
    expect(await screen.findByText('Parameters saved')).toBeInTheDocument();
  });

  it('shows no Save when nothing is editable', async () => {
    api([system({ client_editable: [] })]);
    renderApp('/cabinet/s1?tab=params');
    const params = await screen.findByTestId(TID.cabinetParams);
    expect(within(params).getByLabelText('Description')).toBeDisabled();
    expect(within(params).queryByTestId(TID.cabinetParamsSave)).toBeNull();
  });

  it('lists the certificates with status, validity and fingerprint; ca.crt downloads; no key pair unless allowed', async () => {
    api([system()], ({ path }) => (path === '/cabinet/systems/s1/certificates' ? jsonResponse({ items: [CERT], total: 1, page: 1, page_size: 20 }) : undefined));
    const user = setupUser();
    renderApp('/cabinet/s1');
    await openTab(user, 'Certificates');
    const tab = await screen.findByTestId(TID.cabinetCertificates);
    const row = (await within(tab).findByText('CN=Billing,OU=system,O=Custos')).closest('tr') as HTMLElement;
    expect(within(row).getByTestId(TID.certStatus)).toHaveTextContent('Active');
    expect(within(row).getByTestId(TID.cabinetCertValidity)).toHaveTextContent(`2026-01-01 — ${dayjs(CERT.not_after).format('YYYY-MM-DD')}`);
    expect(within(row).getByTestId(TID.certFingerprint)).toHaveTextContent('ab'.repeat(32));
    const ca = within(tab).getByTestId(TID.cabinetCaDownload);
    expect(ca).toHaveAttribute('href', '/pki/ca.crt');
    expect(ca).toHaveAttribute('download', 'ca.crt');
    expect(within(tab).queryByTestId(TID.cabinetCertGenerate)).toBeNull();
  });

  it('makes a key pair in the browser where allowed: only the CSR is posted, the key is offered once with the warning', async () => {
    const crypto = jsdomCrypto();
    vi.stubGlobal('crypto', crypto);
    x509.cryptoProvider.set(crypto);
    vi.spyOn(URL, 'createObjectURL').mockImplementation(() => 'blob:test/key');
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    const pem = '-----BEGIN CERTIFICATE-----\nISSUED\n-----END CERTIFICATE-----\n';
    const calls = api([system({ client_may_issue: true })], ({ method, path }) => {
      if (method === 'GET' && path === '/cabinet/systems/s1/certificates') return jsonResponse({ items: [], total: 0, page: 1, page_size: 20 });
      if (method === 'POST' && path === '/cabinet/systems/s1/certificates') return jsonResponse({ ...CERT, pem }, 201);
      return undefined;
    });
    const user = setupUser();
    renderApp('/cabinet/s1?tab=certs');
    await user.click(await screen.findByTestId(TID.cabinetCertGenerate));
    const dialog = await screen.findByTestId(TID.certGenerateDialog);
    await user.click(within(dialog).getByRole('button', { name: 'Generate' }));
    expect(await within(dialog).findByTestId(TID.certPem)).toHaveValue(pem);
    expect(within(dialog).getByTestId(TID.certKeyWarning)).toHaveTextContent('lost when you close this window or reload the page');
    const body = calls.find((c) => c.method === 'POST')?.body as { csr: string; validity_days: number };
    expect(Object.keys(body).sort()).toEqual(['csr', 'validity_days']);
    expect(JSON.stringify(body)).not.toContain('PRIVATE KEY');
    expect(await new x509.Pkcs10CertificateRequest(body.csr).verify()).toBe(true);
    expect(within(dialog).getByRole('link', { name: /privateKey\.pem/ })).toHaveAttribute('download', 'privateKey.pem');
  });

  it('lists the allowed services with their labels and descriptions, in English and Russian', async () => {
    api([system()]);
    const user = setupUser();
    renderApp('/cabinet/s1?tab=services');
    const tab = await screen.findByTestId(TID.cabinetServices);
    expect(tab).toHaveTextContent('Users and groups');
    expect(tab).toHaveTextContent('View users, groups, user types and the access schema');
    expect(tab).toHaveTextContent('Use the client cabinet of the systems whose owner group you are in');
    await user.click(screen.getByRole('radio', { name: 'Русский' }));
    await waitFor(() => expect(tab).toHaveTextContent('Просмотр пользователей, групп, типов пользователей и схемы доступов'));
    expect(tab).toHaveTextContent('Работа в кабинете клиента систем, владельцем которых является ваша группа');
  });
});
