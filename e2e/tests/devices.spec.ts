// Device issuance (issues 14 and 15) as people see it: an administrator builds the catalogue,
// a user asks for a device on /self-service, an operator decides in a second browser context,
// and the device steps run through the real custos-agent on the suite's SoftHSM2 token
// (agent-setup.ts). What lands on the token is judged by software we did not write:
// pkcs11-tool lists the key and the certificate, openssl verifies the certificate against
// our CA and its OCSP client hears "revoked" after the operator's revoke.
//
// The suite has ONE SoftHSM2 token, and only this file writes on it: the tests run one after
// the other, and the token is left revoked-and-reusable (the next issuance initialises it).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import type { Browser, Locator, Page } from '@playwright/test';
import { TID, issueAdminPinTestId, issueAreaTokenTestId } from '../../frontend/src/testids';
import { Api, expect, signIn, test, unique } from '../fixtures';
import { expectAccessible } from '../fixtures/a11y';
import { agent, agentCode } from '../fixtures/agent';
import { DataTable } from '../pages/DataTable';
import { chooseOption } from '../pages/Select';
import { baseURL } from '../playwright.config';

test.describe.configure({ mode: 'serial' });

const SCREENS = 'screens';
const PASSWORD = 'device-e2e-password-1';
const shot = (page: Page, name: string) => page.screenshot({ path: `${SCREENS}/${name}.png`, fullPage: true, animations: 'disabled' });

/** priority makes a policy priority no other test of the run takes (priorities are unique). */
const priority = () => 10_000 + Math.floor(Math.random() * 980_000);

/** daysAgo is a document date (YYYY-MM-DD) in the past, whatever the time zones. */
function daysAgo(n: number): string {
  return new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
}

function run(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
}

interface Catalogue {
  group: { id: string; name: string };
  type: { id: string; name: string };
  template: { id: string; name: string };
  policy: { id: string; name: string };
}

/** seedCatalogue makes through the API a group, a device type, a template and a policy for that group. */
async function seedCatalogue(api: Api, over: Record<string, unknown> = {}): Promise<Catalogue> {
  const code = unique('devgrp-');
  const group = await api.post('/groups', { code, name: `Device holders ${code}`, permissions: [] });
  // The token's label is the type's name (≤ 32 characters): pkcs11-tool finds it by that label.
  const type = await api.post('/device-types', {
    name: unique('SoftHSM-'), vendor: 'OpenDNSSEC', model: 'SoftHSM2', description: '',
    pin_areas: [{ code: 'pki', name: 'PKI' }],
    pin_rules: { min_length: 6, max_length: 32, charset: 'digits' },
    retry_counts: { admin: 10, user: 10 },
  });
  const template = await api.post('/certificate-templates', {
    name: unique('Staff login '), description: '', key_algorithm: 'ecdsa-p256', validity_days: 365,
    subject: [{ attr: 'CN', value: '{{display_name}}' }, { attr: 'E', value: '{{email}}' }],
    key_usages: ['digitalSignature'], extended_key_usages: ['clientAuth'], qualified: false,
  });
  const policy = await api.post('/device-policies', {
    name: unique('Two-stage '), description: '', priority: priority(), group_ids: [group.id],
    self_issuance_allowed: true, initialise_before_issuance: true,
    random_user_pin: { enabled: true, length: 8, show_once: true, email_user: false, email_manager: false },
    secret_questions_required: 0, skzi_accounting: true, approval_required: true, smev_check: false, smev_form_editable: false,
    template_ids: [template.id], user_may_choose_templates: false, ...over,
  });
  return { group, type, template, policy };
}

async function seedUser(api: Api, groupIds: string[], name: string) {
  const login = unique('dev-');
  const user = await api.post('/users', {
    login, password: PASSWORD, active: true, display_name: name, email: `${login}@example.test`, group_ids: groupIds,
  });
  return { id: user.id as string, login, name };
}

/** ownContext signs a person in through the login page in a browser context of their own. */
async function ownContext(browser: Browser, login: string, locale = 'en-US') {
  const ctx = await browser.newContext({ locale, baseURL });
  const page = await ctx.newPage();
  await signIn(page, login, PASSWORD);
  return { ctx, page };
}

async function toRussian(page: Page) {
  await page.getByTestId(TID.languageSwitch).getByText('Русский').click();
}

/** requestDevice fills «Выпустить устройство» (type, SKZI document) and returns the dialog. */
async function fillRequest(page: Page, c: Catalogue, skzi: string): Promise<Locator> {
  await page.getByTestId(TID.issueDevice).click();
  const dialog = page.getByTestId(TID.issueDialog);
  await expect(dialog).toBeVisible();
  await chooseOption(page, dialog.getByTestId(TID.issueDeviceType), c.type.name);
  await expect(dialog.getByTestId(TID.issueTemplates)).toContainText(c.template.name);
  await expect(dialog.getByTestId(TID.issueWipeWarning)).toBeVisible();
  await dialog.getByTestId(TID.issueSkziNumber).fill(skzi);
  await dialog.getByTestId(TID.issueSkziDate).fill(daysAgo(3));
  return dialog;
}

function myRow(page: Page, status: string): Locator {
  return page.getByTestId(TID.myDevices).locator(`tr[data-status="${status}"]`);
}

test.describe('device issuance', () => {
  test('an administrator builds the catalogue in the UI: a type with default PINs shown only as set, a template with its subject preview, a policy with approval and SKZI; the user card shows it', async ({ adminPage: page, api }) => {
    test.setTimeout(180_000);
    const code = unique('catgrp-');
    const group = await api.post('/groups', { code, name: `Catalogue ${code}`, permissions: [] });
    const user = await seedUser(api, [group.id], 'Anna Petrova');

    // A device type: a PKI area with default admin and user PINs.
    const typeName = unique('Rutoken ECP ');
    await page.goto('/device-types/new');
    await expect(page.getByTestId(TID.pageTitle)).toHaveText('New device type');
    await page.getByLabel('Name', { exact: true }).first().fill(typeName);
    await page.getByLabel('Vendor', { exact: true }).fill('Aktiv');
    await page.getByLabel('Model', { exact: true }).fill('Rutoken ECP 3.0');
    const areas = page.getByTestId(TID.deviceTypePinAreas);
    await areas.getByLabel('Code', { exact: true }).fill('pki');
    await areas.getByLabel('Name', { exact: true }).fill('PKI');
    await areas.getByLabel('Default admin PIN').fill('87654321');
    await areas.getByLabel('Default user PIN').fill('12345678');
    await shot(page, 'device-type-form-en');
    await page.getByTestId(TID.formSave).click();
    await expect(page).toHaveURL(/\/device-types\/[0-9a-f-]{36}$/);
    const typeId = page.url().split('/').pop() as string;
    const savedType = await api.get(`/device-types/${typeId}`);
    expect(savedType.pin_areas).toEqual([expect.objectContaining({ code: 'pki', name: 'PKI', has_default_admin_pin: true, has_default_user_pin: true })]);
    expect(JSON.stringify(savedType)).not.toContain('87654321');
    // Opened again, the form says "set" and holds no PIN.
    await page.reload();
    await expect(page.getByTestId(TID.pageTitle)).toHaveText(`Device type “${typeName}”`);
    for (const label of ['Default admin PIN', 'Default user PIN']) {
      const item = areas.locator('.ant-form-item').filter({ hasText: label });
      await expect(item.locator('.ant-input-group-addon').first()).toHaveText('set');
      await expect(item.locator('input')).toHaveValue('');
      await expect(item.getByRole('button', { name: 'Remove' })).toBeVisible();
    }
    await shot(page, 'device-type-saved-en');
    await toRussian(page);
    await expect(page.getByTestId(TID.pageTitle)).toHaveText(`Тип устройства «${typeName}»`);
    await expect(areas.locator('.ant-input-group-addon').first()).toHaveText('задан');
    await shot(page, 'device-type-saved-ru');
    await page.getByTestId(TID.languageSwitch).getByText('English').click();

    // A certificate template: CN and E from the defaults, an OU built with a placeholder chip; the preview for the user.
    const tplName = unique('Staff sign-in ');
    await page.goto('/certificate-templates/new');
    await expect(page.getByTestId(TID.pageTitle)).toHaveText('New certificate template');
    await page.getByLabel('Name', { exact: true }).fill(tplName);
    const subject = page.getByTestId(TID.templateSubject);
    await expect(subject.getByLabel('Value 1')).toHaveValue('{{display_name}}');
    await expect(subject.getByLabel('Value 2')).toHaveValue('{{email}}');
    await subject.getByRole('button', { name: 'Add attribute' }).click();
    await subject.getByLabel('Value 3').fill('Staff ');
    await subject.getByTestId(TID.templatePlaceholder).filter({ hasText: '{{login}}' }).click();
    await expect(subject.getByLabel('Value 3')).toHaveValue('Staff {{login}}');
    const preview = page.getByTestId(TID.templatePreview);
    const pick = preview.getByRole('combobox');
    await pick.click();
    await pick.fill(user.login);
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: user.login }).click();
    await preview.getByRole('button', { name: 'Show subject' }).click();
    const shown = preview.getByTestId(TID.templatePreviewSubject);
    await expect(shown).toContainText('Anna Petrova');
    await expect(shown).toContainText(`${user.login}@example.test`);
    await expect(shown).toContainText(`Staff ${user.login}`);
    await expect(preview.getByTestId(TID.templatePreviewEmpty)).toHaveCount(0);
    const previewText = await shown.innerText();
    await shot(page, 'certificate-template-form-en');
    await page.getByTestId(TID.formSave).click();
    await expect(page).toHaveURL(/\/certificate-templates\/[0-9a-f-]{36}$/);
    const tplId = page.url().split('/').pop() as string;
    expect(await api.get(`/certificate-templates/${tplId}`)).toMatchObject({
      name: tplName, key_algorithm: 'ecdsa-p256',
      subject: [{ attr: 'CN', value: '{{display_name}}' }, { attr: 'E', value: '{{email}}' }, { attr: 'OU', value: 'Staff {{login}}' }],
    });
    await toRussian(page);
    await expect(page.getByTestId(TID.pageTitle)).toHaveText(`Шаблон сертификата «${tplName}»`);
    // The user picked stays picked after the save; the preview is asked again in Russian.
    await expect(preview.locator('.ant-select-selection-item')).toHaveText(`${user.login} (Anna Petrova)`);
    await preview.getByRole('button', { name: 'Показать субъект' }).click();
    await expect(shown).toHaveText(previewText);
    await shot(page, 'certificate-template-form-ru');
    await page.getByTestId(TID.languageSwitch).getByText('English').click();

    // A usage policy for the new group: approval required and SKZI accounting, with the template.
    const policyName = unique('Approved tokens ');
    await page.goto('/device-policies/new');
    await expect(page.getByTestId(TID.pageTitle)).toHaveText('New usage policy');
    await page.getByLabel('Name', { exact: true }).fill(policyName);
    await page.getByLabel('Priority', { exact: true }).fill(String(priority()));
    const groups = page.getByTestId(TID.policyGroups);
    await groups.click();
    await page.keyboard.type(group.name);
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: group.name }).click();
    await page.keyboard.press('Escape');
    await page.getByTestId(TID.policyGroupSkzi).getByRole('switch', { name: 'Keep SKZI accounting' }).click();
    await page.getByTestId(TID.policyGroupApproval).getByRole('switch', { name: 'CA operator approval required' }).click();
    const tpl = page.getByTestId(TID.policyGroupTemplates).getByRole('combobox');
    await tpl.click();
    await page.keyboard.type(tplName);
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: tplName }).click();
    await page.keyboard.press('Escape');
    await shot(page, 'device-policy-form-en');
    await page.getByTestId(TID.formSave).click();
    await expect(page).toHaveURL(/\/device-policies\/[0-9a-f-]{36}$/);
    const policyId = page.url().split('/').pop() as string;
    expect(await api.get(`/device-policies/${policyId}`)).toMatchObject({
      name: policyName, group_ids: [group.id], approval_required: true, skzi_accounting: true, template_ids: [tplId], self_issuance_allowed: true,
    });
    await toRussian(page);
    await expect(page.getByTestId(TID.pageTitle)).toHaveText(`Политика использования «${policyName}»`);
    await expect(page.getByTestId(TID.policyGroupSkzi).getByRole('switch')).toBeChecked();
    await shot(page, 'device-policy-form-ru');
    await page.getByTestId(TID.languageSwitch).getByText('English').click();

    // The user card: the policy that applies, and the group it comes from.
    await page.goto(`/users/${user.id}`);
    await expect(page.getByTestId(TID.userDevicePolicy)).toHaveText(`Device usage policy: ${policyName} (from group ${group.name})`);
    await shot(page, 'user-device-policy-en');
    await toRussian(page);
    await expect(page.getByTestId(TID.userDevicePolicy)).toHaveText(`Политика использования устройств: ${policyName} (из группы ${group.name})`);
    await shot(page, 'user-device-policy-ru');
  });

  test('two-stage issuance: the user asks, an operator approves in another browser, the agent writes the token; pkcs11-tool and openssl agree; revoked → OCSP says revoked; the SKZI register and its CSV', async ({ browser, api }) => {
    test.setTimeout(240_000);
    const c = await seedCatalogue(api);
    const user = await seedUser(api, [await api.groupId('users'), c.group.id], 'Ivan Sidorov');
    const operator = await seedUser(api, [await api.groupId('operators')], 'Olga Operator');
    const skzi = unique('SKZI-');

    // The user asks for a device: the request waits for an operator.
    const u = await ownContext(browser, user.login);
    await u.page.goto('/self-service');
    await expect(u.page.getByTestId(TID.pageTitle)).toHaveText('Self-service');
    // The suite's agent listens on a port of its own: the page is told its address, as the README says.
    await expect(u.page.getByTestId(TID.agentState)).toHaveAttribute('data-state', 'notRunning');
    await expect(u.page.getByTestId(TID.agentState)).toContainText('The device agent is not running');
    await u.page.getByTestId(TID.agentUrl).fill(agent.url());
    await u.page.getByRole('button', { name: 'Use this address' }).click();
    await expect(u.page.getByTestId(TID.agentState)).toHaveAttribute('data-state', 'notPaired');
    const dialog = await fillRequest(u.page, c, skzi);
    await expect(dialog).toContainText('A CA operator approves the request before the certificates are written.');
    await shot(u.page, 'selfservice-issue-dialog-en');
    await dialog.getByTestId(TID.issueSubmit).click();
    await expect(dialog.getByTestId(TID.issuePending)).toContainText('Device issuance is awaiting a decision');
    await shot(u.page, 'selfservice-issue-pending-en');
    await dialog.getByTestId(TID.issueClose).click();
    await expect(myRow(u.page, 'pending_approval')).toContainText('Pending');
    await expect(myRow(u.page, 'pending_approval')).toContainText('Device issuance is awaiting a decision');
    await expect(u.page.getByTestId(TID.continueIssuance)).toHaveCount(0);
    await shot(u.page, 'selfservice-pending-en');
    const [requested] = (await api.get(`/issuances?user_id=${user.id}&page_size=10`)).items;
    expect(requested).toMatchObject({ user_login: user.login, state: 'pending_approval', skzi_number: skzi });

    // The operator, in a browser of their own, approves it with a comment.
    const o = await ownContext(browser, operator.login);
    await o.page.goto('/issuances');
    await expect(o.page.getByTestId(TID.pageTitle)).toHaveText('Issuances');
    const queue = new DataTable(o.page);
    await queue.search(user.login);
    await expect(queue.row(user.login)).toContainText('Pending approval');
    await expect(queue.row(user.login)).toContainText(skzi);
    await shot(o.page, 'issuances-queue-en');
    await queue.row(user.login).getByTestId(TID.issuanceApprove).click();
    const decision = o.page.getByTestId(TID.issuanceDecisionDialog);
    await decision.getByLabel('Comment').fill('Document checked, go ahead');
    await shot(o.page, 'issuances-approve-en');
    await decision.getByRole('button', { name: 'Approve' }).click();
    await expect(o.page.getByText('Request approved')).toBeVisible();
    await expect(queue.row(user.login)).toHaveCount(0); // gone from the pending queue
    expect(await api.get(`/issuances/${requested.id}`)).toMatchObject({
      state: 'approved', decided_by_login: operator.login, decision_comment: 'Document checked, go ahead',
    });

    // The user's page now offers to continue; the agent is paired with the code it printed.
    await u.page.reload();
    await expect(myRow(u.page, 'approved')).toContainText('Approved');
    await expect(myRow(u.page, 'approved').getByTestId(TID.continueIssuance)).toHaveText('Continue device issuance');
    await u.page.getByTestId(TID.agentCode).fill(await agentCode());
    await u.page.getByTestId(TID.agentPair).click();
    await expect(u.page.getByTestId(TID.agentState)).toHaveAttribute('data-state', 'paired');
    await expect(u.page.getByTestId(TID.agentTokens)).toContainText(agent.serial());
    await shot(u.page, 'selfservice-approved-paired-en');

    // In Russian, a wrong admin PIN first: the token refuses, the progress stops at the
    // initialisation, nothing is wiped and the request stays approved, to be continued.
    await toRussian(u.page);
    await myRow(u.page, 'approved').getByTestId(TID.continueIssuance).click();
    const ru = u.page.getByTestId(TID.issueDialog);
    await expect(u.page.locator('.ant-modal-title')).toHaveText('Продолжить выпуск устройства');
    await expect(ru.getByTestId(TID.issueWipeWarning)).toContainText('все данные, хранящиеся на нём, будут удалены');
    await chooseOption(u.page, ru.getByTestId(TID.issueToken), new RegExp(agent.serial()));
    await ru.getByTestId(TID.issueAdvanced).getByText('Дополнительно').click();
    await ru.getByTestId(issueAdminPinTestId('pki')).fill('11112222');
    await shot(u.page, 'selfservice-continue-dialog-ru');
    await ru.getByTestId(TID.issueSubmit).click();
    await expect(ru.getByTestId(TID.issueError)).toContainText('Выпуск устройства остановлен', { timeout: 30_000 });
    await expect(ru.getByTestId(TID.issueError)).toContainText('Неверный PIN-код');
    await expect(ru.locator('[data-step="init"]')).toHaveAttribute('data-status', 'error');
    await expect(ru.locator('[data-step="userPin"]')).toHaveAttribute('data-status', 'wait');
    await shot(u.page, 'selfservice-progress-stopped-ru');
    await ru.getByTestId(TID.issueClose).click();
    await expect(ru).toBeHidden();
    expect((await api.get(`/issuances/${requested.id}`)).state).toBe('approved');
    await u.page.getByTestId(TID.languageSwitch).getByText('English').click();

    await myRow(u.page, 'approved').getByTestId(TID.continueIssuance).click();
    const cont = u.page.getByTestId(TID.issueDialog);
    await expect(u.page.locator('.ant-modal-title')).toHaveText('Continue device issuance');
    await expect(cont.getByTestId(TID.issueWipeWarning)).toBeVisible();
    await chooseOption(u.page, cont.getByTestId(TID.issueToken), new RegExp(agent.serial()));
    await cont.getByTestId(TID.issueAdvanced).getByText('Advanced').click();
    await expect(cont).toContainText('A random user PIN of 8 digits will be set and shown to you once.');
    await cont.getByTestId(issueAdminPinTestId('pki')).fill(agent.soPin());
    await shot(u.page, 'selfservice-continue-dialog-en');
    await cont.getByTestId(TID.issueSubmit).click();
    const done = cont.getByTestId(TID.issueDone);
    await expect(done).toBeVisible({ timeout: 90_000 });
    await expect(done).toContainText('The device is issued');
    const steps = done.locator('[data-step]');
    expect(await steps.evaluateAll((els) => els.map((e) => `${e.getAttribute('data-step')}=${e.getAttribute('data-status')}`))).toEqual([
      'init=finish', 'userPin=finish', `cert:${c.template.id}=finish`, 'readBack=finish', 'confirm=finish',
    ]);
    const pin = (await done.getByTestId(TID.issuePin).innerText()).trim();
    expect(pin).toMatch(/^\d{8}$/);
    await expect(done).toContainText('It is shown only now');
    await expectAccessible(u.page, 'the issuance done, its PIN shown once', '.ant-modal-wrap');
    await shot(u.page, 'selfservice-progress-done-en');
    await done.getByTestId(TID.issueClose).click();
    await expect(cont).toBeHidden();
    await expect(myRow(u.page, 'issued')).toContainText(agent.serial());
    await expect(myRow(u.page, 'issued')).toContainText('Issued');
    await expect(u.page.getByTestId(TID.continueIssuance)).toHaveCount(0);
    await shot(u.page, 'selfservice-issued-en');

    // pkcs11-tool (OpenSC): the PIN the flow set logs in; a never-extractable private key and our certificate share one ID.
    const label = c.type.name.slice(0, 32);
    expect(run('pkcs11-tool', ['--module', process.env.PKCS11_MODULE!, '--list-token-slots'])).toMatch(new RegExp(`token label\\s*:\\s*${label}[\\s\\S]*?serial num\\s*:\\s*${agent.serial()}`));
    const objects = run('pkcs11-tool', ['--module', process.env.PKCS11_MODULE!, '--token-label', label, '--login', '--pin', pin, '--list-objects']);
    const blocks = objects.split(/\n(?=\S)/);
    const keys = blocks.filter((b) => /^Private Key Object/.test(b));
    const certs = blocks.filter((b) => /^Certificate Object/.test(b));
    expect(keys, objects).toHaveLength(1);
    expect(certs, objects).toHaveLength(1);
    const idOf = (b: string) => /\bID:\s*([0-9a-f]+)/.exec(b)?.[1];
    expect(idOf(keys[0]!), objects).toBeTruthy();
    expect(idOf(certs[0]!)).toBe(idOf(keys[0]!));
    expect(keys[0]).toMatch(/never extractable/);
    expect(() => run('pkcs11-tool', ['--module', process.env.PKCS11_MODULE!, '--token-label', label, '--login', '--pin', '00000000', '--list-objects'])).toThrow();

    // openssl: the certificate on record chains to our CA and names the user.
    const [listed] = (await api.get(`/devices?user_id=${user.id}&page_size=10`)).items;
    const device = await api.get(`/devices/${listed.id}`);
    expect(device).toMatchObject({ serial: agent.serial(), status: 'issued', user_login: user.login, skzi_number: skzi });
    expect(device.certificates).toHaveLength(1);
    const caFile = test.info().outputPath('ca.pem');
    const certFile = test.info().outputPath('device.pem');
    writeFileSync(caFile, await (await u.page.request.get('/pki/ca.crt')).text());
    writeFileSync(certFile, device.certificates[0].pem);
    expect(run('openssl', ['verify', '-CAfile', caFile, certFile]).trim()).toBe(`${certFile}: OK`);
    expect(run('openssl', ['x509', '-in', certFile, '-noout', '-subject'])).toContain('CN = Ivan Sidorov');
    // The certificate on the token is the one on record.
    const derFile = test.info().outputPath('on-token.der');
    run('pkcs11-tool', ['--module', process.env.PKCS11_MODULE!, '--token-label', label, '--login', '--pin', pin,
      '--read-object', '--type', 'cert', '--id', idOf(certs[0]!)!, '--output-file', derFile]);
    const fp = (args: string[]) => run('openssl', ['x509', ...args, '-noout', '-fingerprint', '-sha256']).trim();
    expect(fp(['-inform', 'DER', '-in', derFile])).toBe(fp(['-in', certFile]));

    // Seed 001: with a device issued, «Issue device» is not offered. The user PIN is set anew
    // («Unblock PIN»: the server releases the device's sealed admin PIN to the agent); the
    // token then takes the new PIN and refuses the old one.
    await expect(u.page.getByTestId(TID.issueDevice)).toBeDisabled();
    await expect(u.page.getByText('You have an issued device: self-service issues one only while you have none.', { exact: false })).toBeVisible();
    await myRow(u.page, 'issued').getByTestId(TID.unblockPinButton).click();
    const unblock = u.page.getByTestId(TID.unblockDialog);
    await expect(unblock.getByTestId(TID.unblockPin)).toBeVisible();
    await expectAccessible(u.page, 'the unblock PIN dialog', '.ant-modal-wrap');
    await unblock.getByTestId(TID.unblockPin).fill('24681357');
    await unblock.getByTestId(TID.unblockRepeat).fill('24681357');
    await shot(u.page, 'selfservice-unblock-en');
    await unblock.getByTestId(TID.unblockSubmit).click();
    await expect(unblock).toContainText('The user PIN is set', { timeout: 30_000 });
    await unblock.getByTestId(TID.unblockClose).click();
    run('pkcs11-tool', ['--module', process.env.PKCS11_MODULE!, '--token-label', label, '--login', '--pin', '24681357', '--list-objects']);
    expect(() => run('pkcs11-tool', ['--module', process.env.PKCS11_MODULE!, '--token-label', label, '--login', '--pin', pin, '--list-objects'])).toThrow();
    expect((await api.get(`/audit?action=release_admin_pin&resource_id=${device.id}`)).items).toHaveLength(1);

    // The operator revokes the device on its page: OCSP says revoked.
    await o.page.goto(`/devices/${device.id}`);
    await expect(o.page.getByTestId(TID.pageTitle)).toHaveText(`Device ${agent.serial()}`);
    await expect(o.page.getByTestId(TID.deviceDetails)).toContainText(user.login);
    await expect(o.page.getByTestId(TID.deviceDetails)).toContainText(skzi);
    await expect(o.page.getByTestId(TID.deviceCertificates)).toContainText('On the device');
    await shot(o.page, 'device-page-en');
    await expectAccessible(o.page, 'a device page');
    await o.page.getByTestId(TID.deviceRevoke).click();
    const confirm = o.page.getByTestId(TID.deviceActConfirm);
    await expect(confirm).toContainText('Every certificate on the device is revoked at once');
    await expectAccessible(o.page, 'the revoke device dialog', '.ant-modal-wrap');
    await confirm.getByLabel('Comment').fill('Employee left');
    await confirm.getByRole('button', { name: 'Revoke' }).click();
    await expect(o.page.getByText('Device revoked')).toBeVisible();
    await expect(o.page.getByTestId(TID.deviceDetails)).toContainText('Revoked');
    // The page no longer lists the certificate as on the device (the server leaves revoked ones out of the list).
    await expect(o.page.getByTestId(TID.deviceCertificates)).not.toContainText('On the device');
    await expect(o.page.getByTestId(TID.deviceHistory)).toContainText('Employee left');
    await expect(o.page.getByTestId(TID.deviceRevoke)).toHaveCount(0);
    await shot(o.page, 'device-revoked-en');
    const ocsp = run('openssl', ['ocsp', '-issuer', caFile, '-cert', certFile, '-url', `${baseURL}/pki/ocsp`, '-CAfile', caFile]);
    expect(ocsp).toContain(`${certFile}: revoked`);

    // The SKZI register lists the device with its document; the CSV holds it.
    await o.page.goto('/skzi-register');
    await expect(o.page.getByTestId(TID.pageTitle)).toHaveText('SKZI register');
    const reg = o.page.getByTestId(TID.skziRegister).locator('tbody tr').filter({ hasText: skzi });
    await expect(reg).toContainText(agent.serial());
    await expect(reg).toContainText(user.login);
    await expect(reg).toContainText(daysAgo(3));
    await shot(o.page, 'skzi-register-en');
    const [download] = await Promise.all([o.page.waitForEvent('download'), o.page.getByTestId(TID.skziExport).click()]);
    expect(download.suggestedFilename()).toBe('skzi-register.csv');
    const csvFile = test.info().outputPath('skzi-register.csv');
    await download.saveAs(csvFile);
    const line = readFileSync(csvFile, 'utf8').split('\r\n').find((l) => l.includes(skzi));
    expect(line).toBeTruthy();
    expect(line).toContain(agent.serial());
    expect(line).toContain(user.login);
    expect(line).toContain(daysAgo(3));
    await o.ctx.close();
    await u.ctx.close();
  });

  test('bad input seen in the UI: an operator cannot approve their own request; a rejected request shows its comment and offers no Continue (in Russian)', async ({ browser, api }) => {
    test.setTimeout(120_000);
    const c = await seedCatalogue(api);
    const user = await seedUser(api, [await api.groupId('users'), c.group.id], 'Пётр Иванов');
    const operator = await seedUser(api, [await api.groupId('operators'), await api.groupId('users'), c.group.id], 'Olga Self');

    // The user asks in Russian: the dialog and the pending state.
    const u = await ownContext(browser, user.login, 'ru-RU');
    await u.page.goto('/self-service');
    await toRussian(u.page);
    await expect(u.page.getByTestId(TID.pageTitle)).toHaveText('Сервис самообслуживания');
    await expect(u.page.getByTestId(TID.issueDevice)).toHaveText('Выпустить устройство');
    const dialog = await fillRequest(u.page, c, unique('СКЗИ-'));
    await expect(dialog).toContainText('Перед записью сертификатов запрос одобряет оператор удостоверяющего центра.');
    await shot(u.page, 'selfservice-issue-dialog-ru');
    await dialog.getByTestId(TID.issueSubmit).click();
    await expect(dialog.getByTestId(TID.issuePending)).toContainText('Выпуск устройства ожидает решения');
    await shot(u.page, 'selfservice-issue-pending-ru');
    await dialog.getByTestId(TID.issueClose).click();
    await expect(myRow(u.page, 'pending_approval')).toContainText('Выпуск устройства ожидает решения');
    await shot(u.page, 'selfservice-pending-ru');

    // The operator's own request, made through the API as them.
    const asOperator = await Api.signIn(baseURL, operator.login, PASSWORD);
    const own = await asOperator.post('/me/issuances', { device_type_id: c.type.id, skzi_number: unique('OWN-'), skzi_date: daysAgo(2) });
    expect(own.state).toBe('pending_approval');
    await asOperator.dispose();

    const o = await ownContext(browser, operator.login);
    await o.page.goto('/issuances');
    const queue = new DataTable(o.page);
    await queue.search(operator.login);
    await queue.row(operator.login).getByTestId(TID.issuanceApprove).click();
    const decision = o.page.getByTestId(TID.issuanceDecisionDialog);
    await decision.getByRole('button', { name: 'Approve' }).click();
    await expect(o.page.getByText('Nobody decides on their own request.')).toBeVisible();
    await shot(o.page, 'issuances-own-refused-en');
    await expect(queue.row(operator.login)).toContainText('Pending approval');
    expect((await api.get(`/issuances/${own.id}`)).state).toBe('pending_approval');

    // The operator rejects the user's request: a rejection needs its comment.
    await queue.search(user.login);
    await queue.row(user.login).getByTestId(TID.issuanceReject).click();
    await decision.getByRole('button', { name: 'Reject' }).click();
    await expect(decision).toContainText('Say why the request is rejected');
    await decision.getByLabel('Comment').fill('Документ СКЗИ не найден');
    await decision.getByRole('button', { name: 'Reject' }).click();
    await expect(o.page.getByText('Request rejected')).toBeVisible();

    await u.page.reload();
    const rejected = myRow(u.page, 'rejected');
    await expect(rejected).toContainText('Отклонено: Документ СКЗИ не найден');
    await expect(rejected).toContainText('Документ СКЗИ не найден');
    await expect(u.page.getByTestId(TID.continueIssuance)).toHaveCount(0);
    await shot(u.page, 'selfservice-rejected-ru');
    await o.ctx.close();
    await u.ctx.close();
  });

  test('a device type with two PIN areas (PKI and ГОСТ, as on a JaCarta): each slot gets its PINs, the keys go to the first, one random PIN for the device', async ({ browser, api }) => {
    test.setTimeout(120_000);
    const c = await seedCatalogue(api, { approval_required: false, skzi_accounting: false });
    // The areas' default admin PINs: the suite token's own for PKI (it is initialised already),
    // a new one for the blank slot that plays the ГОСТ applet.
    await api.patch(`/device-types/${c.type.id}`, {
      version: 1, pin_areas: [{ code: 'pki', name: 'PKI', default_admin_pin: agent.soPin() }, { code: 'gost', name: 'ГОСТ', default_admin_pin: '11223344' }],
    });
    const user = await seedUser(api, [await api.groupId('users'), c.group.id], 'Olga Smirnova');
    const u = await ownContext(browser, user.login);
    await u.page.goto('/self-service');
    await u.page.getByTestId(TID.agentUrl).fill(agent.url());
    await u.page.getByRole('button', { name: 'Use this address' }).click();
    await expect(u.page.getByTestId(TID.agentState)).toHaveAttribute('data-state', 'notPaired');
    await u.page.getByTestId(TID.agentCode).fill(await agentCode());
    await u.page.getByTestId(TID.agentPair).click();
    await expect(u.page.getByTestId(TID.agentState)).toHaveAttribute('data-state', 'paired');
    await u.page.getByTestId(TID.issueDevice).click();
    const dialog = u.page.getByTestId(TID.issueDialog);
    await chooseOption(u.page, dialog.getByTestId(TID.issueDeviceType), c.type.name);
    await expect(dialog).toContainText('Device slot for the PIN area PKI');
    await chooseOption(u.page, dialog.getByTestId(TID.issueToken), new RegExp(agent.serial()));
    await chooseOption(u.page, dialog.getByTestId(issueAreaTokenTestId('gost')), /slot-\d+/);
    await dialog.getByTestId(TID.issueAdvanced).getByText('Advanced').click();
    await expect(dialog.getByTestId(issueAdminPinTestId('gost'))).toBeVisible();
    await shot(u.page, 'selfservice-two-areas-en');
    await dialog.getByTestId(TID.issueSubmit).click();
    const done = dialog.getByTestId(TID.issueDone);
    await expect(done).toBeVisible({ timeout: 90_000 });
    const steps = done.locator('[data-step]');
    expect(await steps.evaluateAll((els) => els.map((e) => `${e.getAttribute('data-step')}=${e.getAttribute('data-status')}`))).toEqual([
      'init=finish', 'userPin=finish', 'area:gost=finish', `cert:${c.template.id}=finish`, 'readBack=finish', 'confirm=finish',
    ]);
    const pin = (await done.getByTestId(TID.issuePin).innerText()).trim();
    expect(pin).toMatch(/^\d{8}$/);

    // pkcs11-tool: both slots take the one random PIN; the ГОСТ slot holds no key, the PKI one our certificate.
    const label = c.type.name.slice(0, 32);
    const gostLabel = `GOST ${c.type.name}`.slice(0, 32);
    const list = (l: string) => run('pkcs11-tool', ['--module', process.env.PKCS11_MODULE!, '--token-label', l, '--login', '--pin', pin, '--list-objects']);
    expect(list(label)).toMatch(/Certificate Object/);
    expect(list(gostLabel)).not.toMatch(/Private Key Object|Certificate Object/);
    expect(() => run('pkcs11-tool', ['--module', process.env.PKCS11_MODULE!, '--token-label', gostLabel, '--login', '--pin', '00000000', '--list-objects'])).toThrow();
    await u.ctx.close();
  });
});
