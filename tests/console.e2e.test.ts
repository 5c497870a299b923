import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import {
  createSimClock,
  createSimUser,
  createWebhookSender,
  type GraphSimulator,
  HOUR_MS,
  startGraphSimulator,
  type WebhookSender,
} from '@wabot/meta-simulator';
import { type Stack, startStack } from '@wabot/stack';
import { useTestDatabase, useTestRedis } from '@wabot/testing';
import axe from 'axe-core';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The console in real headless Chromium (Debian's, never a browser download) against a real
 * stack (admin, ingress, worker) and the Meta simulator: sign-up, invitations, a bot created,
 * activated and answering, the inbox live, takeover, tenancy; axe-core on the main pages.
 * Scenarios that need sign-in for people (/api/auth) or the event stream (/api/events) skip
 * themselves on an admin without them. UPDATE_SCREENSHOTS=1 rewrites docs/screenshots/.
 */
const CHROMIUM = '/usr/bin/chromium';
const root = path.resolve(import.meta.dirname, '..');
const screenshots = path.join(root, 'docs/screenshots');
const updateScreenshots = process.env.UPDATE_SCREENSHOTS === '1';
const axeSource = axe.source;

/** CI runs as root on a fresh machine: install Debian's Chromium when it is missing. */
function ensureChromium() {
  if (existsSync(CHROMIUM)) return;
  const apt = (args: string[]) => execFileSync('apt-get', args, { stdio: 'inherit', timeout: 240_000 });
  try {
    apt(['install', '-y', 'chromium']);
  } catch {
    apt(['update']);
    apt(['install', '-y', 'chromium']);
  }
}

// Browser-side code as strings: this file is type-checked without the DOM library.
const clipboard = (p: Page) => p.evaluate<string>('navigator.clipboard.readText()');
const activeElement = (p: Page, what: 'name' | 'text') =>
  p.evaluate<string | null>(
    what === 'name'
      ? "document.activeElement?.getAttribute('name') ?? null"
      : 'document.activeElement?.textContent ?? null',
  );

const b64url = (value: string) => Buffer.from(value).toString('base64url');
async function mintJwt(secret: string, sub: string): Promise<string> {
  const { createHmac } = await import('node:crypto');
  const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const now = Math.floor(Date.now() / 1000);
  const body = b64url(JSON.stringify({ sub, iat: now, exp: now + 3600 }));
  return `${head}.${body}.${createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url')}`;
}

describe('console (headless Chromium)', () => {
  const database = useTestDatabase();
  const redis = useTestRedis();
  const jwtSecret = randomBytes(32).toString('hex');
  const setupToken = randomBytes(32).toString('base64url');
  let graph: GraphSimulator;
  let stack: Stack | undefined;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let adminUrl = '';
  let hasAuth = false;
  let hasEvents = false;
  let sender: WebhookSender | undefined;
  const cspViolations: string[] = [];
  const appSecret = randomBytes(16).toString('hex');
  const phoneNumberId = String(100_000_000_000 + Math.floor(Math.random() * 1e9));
  const owner = { email: 'olivia@acme.test', password: 'correct-horse-battery', name: 'Olivia Owner' };
  const state: { botId?: string; webhookUrl?: string; conversationId?: string } = {};

  const newPage = async (ctx: BrowserContext) => {
    const p = await ctx.newPage();
    p.setDefaultTimeout(10_000);
    p.on('console', (message) => {
      if (/Content Security Policy|Refused to (execute|apply|load)/i.test(message.text()))
        cspViolations.push(message.text());
    });
    return p;
  };

  /** axe-core in the page (evaluated over CDP, so the page's CSP stays as served): no violations. */
  async function expectAccessible(p: Page, name: string) {
    await p.evaluate(axeSource);
    const violations = await p.evaluate(async () => {
      const axe = (globalThis as unknown as { axe: { run(): Promise<{ violations: unknown[] }> } }).axe;
      const result = await axe.run();
      return result.violations.map((v) => {
        const { id, help, nodes } = v as { id: string; help: string; nodes: { target: unknown }[] };
        return `${id}: ${help} (${nodes.map((n) => JSON.stringify(n.target)).join(', ')})`;
      });
    });
    expect(violations, `axe on ${name}`).toEqual([]);
  }

  async function shot(p: Page, name: string) {
    if (!updateScreenshots) return;
    mkdirSync(screenshots, { recursive: true });
    await p.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage: false });
  }

  /** Signs in on the sign-in page with a key or token (the console's path for API keys). */
  async function signInWithKey(p: Page, key: string) {
    await p.goto(`${adminUrl}/sign-in`);
    await p.getByText('Sign in with an API key').click();
    await p.getByLabel('API key or token').fill(key);
    await p.getByRole('button', { name: 'Use key' }).click();
  }

  beforeAll(async () => {
    ensureChromium();
    graph = await startGraphSimulator({
      onAccepted: (request) => {
        if (sender && request.messageId) void sender.emitStatuses(request, { stepDelayMs: 50 });
      },
    });
    stack = await startStack({
      services: ['admin', 'ingress', 'worker'],
      env: {
        DATABASE_URL: database.current.url,
        ...redis.current.env,
        REDIS_PREFIX: redis.current.prefix,
        SECRETS_KEY: randomBytes(32).toString('base64'),
        JWT_SECRET: jwtSecret,
        SETUP_TOKEN: setupToken,
        GRAPH_API_BASE_URL: graph.url,
        PUBLIC_WEBHOOK_BASE_URL: 'https://hooks.acme-bots.example',
        LOG_LEVEL: 'warn',
      },
    });
    adminUrl = stack.get('admin').url;
    hasAuth = (await fetch(`${adminUrl}/api/auth/status`)).status === 200;
    const events = await fetch(`${adminUrl}/api/events?workspace_id=${randomBytes(4).toString('hex')}`, {
      headers: { authorization: `Bearer ${await mintJwt(jwtSecret, 'probe')}` },
    });
    hasEvents = events.status !== 404 || !(await events.text()).includes('no route');
    await events.body?.cancel().catch(() => undefined);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update'],
    });
    context = await browser.newContext({ viewport: { width: 1280, height: 820 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: adminUrl });
    page = await newPage(context);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await graph?.close();
  }, 30_000);

  it('serves the console under its CSP; a stranger lands on sign-in', async () => {
    const res = await fetch(`${adminUrl}/inbox`, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await res.text()).not.toMatch(/<script>|<style|https?:\/\//);
    await page.goto(`${adminUrl}/`);
    await expect.poll(() => new URL(page.url()).pathname).toBe('/sign-in');
    await page.getByRole('heading', { name: 'Sign in to wabot' }).waitFor();
    await expectAccessible(page, 'sign-in');
    await shot(page, 'sign-in');
  });

  it('first owner: the one-time set-up link creates the account and its workspace', async (ctx) => {
    if (!hasAuth) ctx.skip();
    await page.goto(`${adminUrl}/setup?token=${setupToken}`);
    await page.getByLabel('Your name').fill(owner.name);
    await page.getByLabel('Email').fill(owner.email);
    await page.getByLabel('Password').fill(owner.password);
    await page.getByLabel('Workspace name').fill('Acme Support');
    await expectAccessible(page, 'setup');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'Bots', level: 1 }).waitFor();
    await expect.poll(() => page.getByText(owner.email).count()).toBeGreaterThan(0);
    // The link works once.
    const again = await fetch(`${adminUrl}/api/auth/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: setupToken, ...owner, workspace_name: 'Again' }),
    });
    expect(again.status).toBe(410);
  });

  it('signs in with a token when there is no account sign-in', async (ctx) => {
    if (hasAuth) ctx.skip();
    await signInWithKey(page, await mintJwt(jwtSecret, 'olivia'));
    await page.getByRole('heading', { name: 'No workspace yet' }).waitFor();
    await page.getByLabel('Workspace name').fill('Acme Support');
    await page.getByRole('button', { name: 'Create workspace' }).click();
    await page.getByRole('heading', { name: 'Bots', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    await page.getByText('This admin service has no member list').waitFor();
    await expectAccessible(page, 'settings');
    await shot(page, 'settings');
  });

  it('invites a member: the link is shown to copy, and opens a new account in the workspace', async (ctx) => {
    if (!hasAuth) ctx.skip();
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    await page.getByRole('form', { name: 'Invite a member' }).getByLabel('Email').fill('max@acme.test');
    await page.getByRole('button', { name: 'Invite', exact: true }).click();
    const link = page.getByTestId('invite-url');
    await link.waitFor();
    const url = await link.inputValue();
    expect(url).toMatch(/\/invite\?token=/);
    await page.getByRole('button', { name: 'Copy invitation link' }).click();
    await expect.poll(() => clipboard(page)).toBe(url);
    await expectAccessible(page, 'settings');
    await shot(page, 'settings');

    const invited = await browser.newContext({ viewport: { width: 390, height: 844 } });
    try {
      const p = await newPage(invited);
      const parsed = new URL(url);
      await p.goto(`${adminUrl}${parsed.pathname}${parsed.search}`);
      await p.getByText('Acme Support').first().waitFor();
      await p.getByLabel('Your name').fill('Max Member');
      await p.getByLabel('Choose a password').fill('another-long-password');
      await expectAccessible(p, 'accept invitation');
      await p.getByRole('button', { name: 'Accept invitation' }).click();
      await p.getByRole('heading', { name: 'Bots', level: 1 }).waitFor();
      await expect.poll(() => p.getByText('Acme Support').count()).toBeGreaterThan(0);
    } finally {
      await invited.close();
    }
    await page.reload();
    await page.getByRole('cell', { name: 'max@acme.test' }).waitFor();
  });

  it('creates a bot: the server’s validation errors are shown on their fields', async () => {
    await page.getByRole('link', { name: 'Bots', exact: true }).click();
    await page.getByRole('link', { name: 'New bot' }).click();
    await page.getByRole('heading', { name: 'New bot' }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Support');
    await page.getByLabel('Phone number ID').fill('12-34 abc');
    await page.getByLabel('Verify token').fill('Verify-Me-42');
    await page.getByRole('button', { name: 'Create bot' }).click();
    const phone = page.getByLabel('Phone number ID');
    await expect.poll(() => phone.getAttribute('aria-invalid')).toBe('true');
    // The error is the field's description, and focus moved to the first field in error.
    const described = await page.evaluate<string>(
      `(() => { const el = document.querySelector('[name=phone_number_id]');
        return (el.getAttribute('aria-describedby') || '').split(' ')
          .map((id) => document.getElementById(id)?.textContent || '').join(' '); })()`,
    );
    expect(described).toMatch(/digits only/);
    expect(await page.getByLabel('Access token').getAttribute('aria-invalid')).toBe('true');
    expect(await activeElement(page, 'name')).toBe('phone_number_id');
    await page.getByRole('alert').filter({ hasText: 'fields need attention' }).waitFor();
    await expectAccessible(page, 'new bot with errors');
    await shot(page, 'new-bot-errors');

    await phone.fill(phoneNumberId);
    await page.getByLabel('Access token').fill(`EAAB${randomBytes(12).toString('hex')}`);
    await page.getByLabel('App secret (optional)').fill(appSecret);
    await page.getByRole('button', { name: 'Create bot' }).click();
    await page.getByRole('heading', { name: 'Support', level: 1 }).waitFor();
    state.botId = new URL(page.url()).pathname.split('/').at(-1) ?? '';
    expect(state.botId).toMatch(/^bt_/);
  });

  it('activates the bot and copies the webhook URL and the revealed verify token', async () => {
    await page.getByRole('button', { name: 'Activate', exact: true }).click();
    await page.getByRole('button', { name: 'Deactivate' }).waitFor();
    const webhook = await page.getByLabel('Webhook URL').inputValue();
    expect(webhook).toBe(`https://hooks.acme-bots.example/api/bots/webhook/whatsapp/${state.botId}`);
    await page.getByRole('button', { name: 'Copy webhook URL' }).click();
    await expect.poll(() => clipboard(page)).toBe(webhook);
    await page.getByRole('button', { name: 'Copied' }).waitFor();
    await page.getByRole('button', { name: 'Reveal verify token' }).click();
    await expect.poll(() => page.getByTestId('verify-token').inputValue()).toBe('Verify-Me-42');
    await page.getByRole('button', { name: 'Copy verify token' }).click();
    await expect.poll(() => clipboard(page)).toBe('Verify-Me-42');
    // The Meta steps, and the engine's note without an LLM.
    await page.getByText('Under Webhook fields, subscribe to "messages".').waitFor();
    await page.getByTestId('engine-note').filter({ hasText: 'No LLM configured: replies are canned' }).waitFor();
    state.webhookUrl = webhook;
    await expectAccessible(page, 'bot page');
    await shot(page, 'bot');
  });

  it('shows a simulated conversation arriving, with its delivery ticks', async () => {
    if (!state.webhookUrl || !stack) throw new Error('no active bot');
    const ingress = stack.get('ingress').url;
    sender = createWebhookSender({
      webhookUrl: `${ingress}${new URL(state.webhookUrl).pathname}`,
      appSecret,
      phoneNumberId,
    });
    const sheena = createSimUser({ name: 'Sheena', waId: '15557654321' });
    await page.getByRole('link', { name: 'Inbox' }).click();
    await page.getByRole('heading', { name: 'Inbox', level: 1 }).waitFor();
    const delivered = await sender.sendText(sheena, 'Hello, is my order shipped?');
    expect(delivered.status).toBe(200);
    if (!hasEvents) {
      // No event stream on this admin: the reply is there once the worker sent it; reload to see it.
      await graph.waitFor(() => graph.sentMessages({ to: '15557654321' })[0], 20_000);
      await page.reload();
    }
    const row = page.getByRole('link', { name: /Sheena/ });
    await row.waitFor({ timeout: 20_000 });
    await row.click();
    await page.getByRole('heading', { name: 'Sheena', level: 2 }).waitFor();
    state.conversationId = new URL(page.url()).pathname.split('/').at(-1) ?? '';
    const transcript = page.getByTestId('transcript');
    await transcript.getByText('Hello, is my order shipped?').waitFor();
    // The bot's reply, below the question, read by the user (✓✓ and the word).
    const reply = transcript.locator('li.author-bot').first();
    await reply.waitFor({ timeout: 20_000 });
    if (!hasEvents) {
      await expect
        .poll(
          async () => {
            await page.reload();
            return page
              .getByTestId('transcript')
              .locator('li.author-bot [data-testid="delivery"]')
              .first()
              .textContent();
          },
          { timeout: 15_000 },
        )
        .toMatch(/Read/);
    } else {
      await expect.poll(() => reply.getByTestId('delivery').textContent(), { timeout: 15_000 }).toMatch(/✓✓\s*Read/);
    }
    const order = await page
      .getByTestId('transcript')
      .locator('li')
      .evaluateAll((items) => items.map((li) => li.className));
    expect(order[0]).toContain('message-inbound');
    expect(order.at(-1)).toContain('message-outbound');
    await page.getByText(/Window open for/).waitFor();
    await expectAccessible(page, 'inbox');
  });

  it('takes over, replies as a person (ticks), and gives the conversation back', async () => {
    await page.getByRole('button', { name: 'Take over' }).click();
    await page.getByText(/A person answers/).waitFor();
    await page.getByRole('textbox', { name: 'Reply' }).fill('Hi Sheena, it left our warehouse today.');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const mine = page.getByTestId('transcript').locator('li.author-operator').last();
    await mine.getByText('it left our warehouse today').waitFor();
    const sent = await graph.waitFor(
      () => graph.sentMessages({ to: '15557654321' }).find((m) => JSON.stringify(m).includes('warehouse')),
      20_000,
    );
    expect(sent).toBeDefined();
    if (hasEvents) {
      await expect.poll(() => mine.getByTestId('delivery').textContent(), { timeout: 15_000 }).toMatch(/Read/);
    }
    await expectAccessible(page, 'inbox, taken over');
    await shot(page, 'inbox');
    const conversations = page.getByRole('list', { name: 'Conversations' });
    for (const filter of ['Needs a human', 'Assigned to me']) {
      await page.getByRole('radio', { name: filter }).check();
      await conversations.getByRole('link', { name: /Sheena/ }).waitFor();
    }
    await page.getByRole('button', { name: 'Resume bot' }).click();
    await page.getByText('The bot answers.').waitFor();
    await page.getByRole('button', { name: 'Take over' }).waitFor();
    await page.getByText('No conversation matches this filter.').waitFor();
    await page.getByRole('radio', { name: 'All' }).check();
  });

  it('offers an approved template when the window is closed, and sends it', async () => {
    if (!state.webhookUrl || !stack) throw new Error('no active bot');
    const clock = createSimClock();
    clock.advance(-25 * HOUR_MS);
    const late = createWebhookSender({
      webhookUrl: `${stack.get('ingress').url}${new URL(state.webhookUrl).pathname}`,
      appSecret,
      phoneNumberId,
      clock,
    });
    const kai = createSimUser({ name: 'Kai', waId: '15550009999' });
    expect((await late.sendText(kai, 'Are you open tomorrow?')).status).toBe(200);
    await page.goto(`${adminUrl}/inbox`);
    const row = page.getByRole('link', { name: /Kai/ });
    await expect
      .poll(
        async () => {
          if ((await row.count()) === 0 && !hasEvents) await page.reload();
          return row.count();
        },
        { timeout: 20_000 },
      )
      .toBeGreaterThan(0);
    await row.click();
    await page.getByRole('heading', { name: 'Kai', level: 2 }).waitFor();
    await page.getByText(/Window closed: only an approved template/).waitFor();
    expect(await page.getByRole('textbox', { name: 'Reply' }).count()).toBe(0);
    const form = page.getByRole('form', { name: 'Send a template' });
    await form.getByLabel('Template name').fill('order_update');
    await form.getByLabel('Parameters').fill('Kai, tomorrow 9:00');
    await form.getByRole('button', { name: 'Send template' }).click();
    const sent = await graph.waitFor(
      () => graph.sentMessages({ to: '15550009999' }).find((m) => JSON.stringify(m).includes('order_update')),
      20_000,
    );
    expect(sent).toBeDefined();
    await page.getByTestId('transcript').locator('li.message-outbound').first().waitFor();
  });

  it('fits a phone: the inbox one pane at a time at 390 px', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 } });
    try {
      const p = await newPage(phone);
      const cookies = await context.cookies();
      await phone.addCookies(cookies);
      const key = await page.evaluate(() => sessionStorage.getItem('wabot.api-key'));
      if (key) await signInWithKey(p, key);
      await p.goto(`${adminUrl}/inbox/${state.conversationId}`);
      await p.getByRole('heading', { name: 'Sheena', level: 2 }).waitFor();
      expect(await p.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
      expect(await p.getByRole('list', { name: 'Conversations' }).isVisible()).toBe(false);
      await p.getByRole('button', { name: 'Menu' }).click();
      await p.getByRole('link', { name: 'Dead letters' }).click();
      await p.getByRole('heading', { name: 'Dead letters', level: 1 }).waitFor();
      expect(await activeElement(p, 'text')).toBe('Dead letters');
      await expectAccessible(p, 'dead letters (phone)');
      await p.goto(`${adminUrl}/inbox/${state.conversationId}`);
      await p.getByRole('heading', { name: 'Sheena', level: 2 }).waitFor();
      await shot(p, 'inbox-phone');
    } finally {
      await phone.close();
    }
  });

  it('tenancy: a member of another workspace sees none of it', async () => {
    const other = await browser.newContext({ viewport: { width: 1280, height: 820 } });
    try {
      const p = await newPage(other);
      await signInWithKey(p, await mintJwt(jwtSecret, 'mallory'));
      await p.getByRole('heading', { name: 'No workspace yet' }).waitFor();
      await p.getByLabel('Workspace name').fill('Elsewhere');
      await p.getByRole('button', { name: 'Create workspace' }).click();
      await p.getByRole('heading', { name: 'Bots', level: 1 }).waitFor();
      await p.getByText('No bots yet.').waitFor();
      await p.goto(`${adminUrl}/inbox`);
      await p.getByText('No conversations yet.').waitFor();
      await p.goto(`${adminUrl}/bots/${state.botId}`);
      await p.getByRole('heading', { name: 'Bot not found' }).waitFor();
      await p.goto(`${adminUrl}/inbox/${state.conversationId}`);
      await p
        .getByRole('alert')
        .filter({ hasText: /not found/ })
        .waitFor();
      expect(await p.content()).not.toContain('Sheena');
    } finally {
      await other.close();
    }
  });

  it('deletes the bot after its name is typed to confirm', async () => {
    await page.goto(`${adminUrl}/bots/${state.botId}`);
    await page.getByRole('button', { name: 'Delete bot…' }).click();
    const confirm = page.getByRole('button', { name: 'Delete Support' });
    expect(await confirm.isDisabled()).toBe(true);
    await page.getByLabel('Type the bot’s name (Support) to confirm').fill('Support');
    await confirm.click();
    await page.getByRole('heading', { name: 'Bots', level: 1 }).waitFor();
    await page.getByText('No bots yet.').waitFor();
  });

  it('loaded every page without a Content-Security-Policy violation', () => {
    expect(cspViolations).toEqual([]);
  });
});
