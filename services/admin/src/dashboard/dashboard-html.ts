import { dashboardHelpersScript } from './dashboard-helpers.js';

/**
 * The dashboard: one self-contained page (inline CSS and JS, nothing fetched from elsewhere) that
 * talks to the admin API with a bearer token kept in localStorage. Everything received is inserted
 * with textContent, never as HTML: message text comes from WhatsApp users. Secrets never reach the
 * page: the API returns masked hints only, and the token fields are write-only password inputs.
 */
export const dashboardHtml = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>wabot admin</title>
<style>
  :root { --fg:#1d2329; --muted:#5f6b77; --line:#d9dee3; --bg:#f4f6f8; --accent:#0f7b6f; --bad:#b42318; --badbg:#fef3f2; --warn:#93610b; --warnbg:#fffaeb; --blue:#1a73e8; }
  * { box-sizing:border-box; }
  body { margin:0; font:14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color:var(--fg); background:var(--bg); }
  header { display:flex; flex-wrap:wrap; gap:8px; align-items:center; padding:8px 16px; background:#fff; border-bottom:1px solid var(--line); }
  header h1 { font-size:16px; margin:0 12px 0 0; color:var(--accent); }
  header input { width:320px; max-width:100%; }
  #whoami { color:var(--muted); font-size:12px; }
  #status { margin-left:auto; color:var(--muted); font-size:12px; }
  #alert { position:sticky; top:0; z-index:2; box-shadow:0 2px 6px rgba(0,0,0,.12); margin:12px 12px 0; padding:8px 12px; border:1px solid var(--bad); background:var(--badbg); color:var(--bad); border-radius:6px; display:flex; gap:12px; align-items:flex-start; }
  #alert[hidden] { display:none; }
  #alert ul { margin:4px 0 0; padding-left:18px; }
  #alert .close { margin-left:auto; }
  main { display:grid; grid-template-columns:minmax(220px,260px) minmax(300px,1fr) minmax(320px,1.2fr); gap:12px; padding:12px; align-items:start; }
  #dead-letters { grid-column:1 / -1; }
  @media (max-width:1000px) { main { grid-template-columns:1fr; } }
  section { background:#fff; border:1px solid var(--line); border-radius:6px; padding:12px; margin-bottom:12px; min-width:0; }
  main > div > section:last-child { margin-bottom:0; }
  h2 { font-size:12px; text-transform:uppercase; letter-spacing:.05em; color:var(--muted); margin:0 0 8px; display:flex; gap:8px; align-items:center; }
  h3 { font-size:15px; margin:0 0 4px; }
  input, select, textarea, button { font:inherit; }
  input, textarea, select { width:100%; padding:5px 7px; border:1px solid #b8c0c8; border-radius:4px; }
  label { display:block; font-size:12px; color:var(--muted); margin-top:6px; }
  button { padding:4px 10px; border:1px solid var(--accent); background:var(--accent); color:#fff; border-radius:4px; cursor:pointer; white-space:nowrap; }
  button.secondary { background:#fff; color:var(--accent); }
  button.danger { background:#fff; color:var(--bad); border-color:var(--bad); }
  button:disabled { opacity:.5; cursor:default; }
  button:focus-visible, input:focus-visible, textarea:focus-visible, summary:focus-visible { outline:2px solid var(--blue); outline-offset:1px; }
  ul.list { list-style:none; margin:0; padding:0; }
  button.item { display:block; width:100%; text-align:left; background:#fff; color:var(--fg); border:1px solid transparent; padding:6px 8px; margin:2px 0; white-space:normal; }
  button.item:hover { background:var(--bg); }
  button.item[aria-current="true"] { border-color:var(--accent); background:#eefaf7; }
  .muted { color:var(--muted); font-size:12px; }
  .mono { font-family:ui-monospace, SFMono-Regular, Menlo, monospace; font-size:12px; word-break:break-all; }
  .pill { display:inline-block; padding:0 7px; border-radius:9px; font-size:11px; border:1px solid var(--line); background:var(--bg); color:var(--muted); vertical-align:1px; }
  .pill.active, .pill.ok, .pill.open { color:var(--accent); border-color:var(--accent); background:#eefaf7; }
  .pill.invalid, .pill.closed { color:var(--bad); border-color:var(--bad); background:var(--badbg); }
  .pill.unknown, .pill.inactive { color:var(--warn); border-color:#e4c27a; background:var(--warnbg); }
  .banner { padding:8px 10px; border-radius:6px; margin:8px 0; border:1px solid; }
  .banner.bad { border-color:var(--bad); background:var(--badbg); color:var(--bad); }
  .banner.warn { border-color:#e4c27a; background:var(--warnbg); color:var(--warn); }
  .banner.ok { border-color:var(--accent); background:#eefaf7; color:var(--accent); }
  .banner strong { display:block; }
  .banner ul { margin:4px 0 0; padding-left:18px; }
  dl.facts { display:grid; grid-template-columns:max-content 1fr; gap:2px 10px; margin:8px 0; font-size:13px; }
  dl.facts dt { color:var(--muted); }
  dl.facts dd { margin:0; min-width:0; }
  .row { display:flex; gap:6px; margin:6px 0; align-items:center; flex-wrap:wrap; }
  .row > input { flex:1; min-width:0; }
  details { margin-top:8px; border-top:1px solid var(--line); padding-top:6px; }
  summary { cursor:pointer; color:var(--accent); }
  form .row { margin-top:8px; }
  #messages { display:flex; flex-direction:column; gap:6px; margin-top:8px; }
  .msg { padding:6px 9px; border-radius:8px; max-width:88%; word-break:break-word; box-shadow:0 1px 0 rgba(0,0,0,.06); }
  .msg.inbound { background:var(--bg); align-self:flex-start; }
  .msg.outbound { background:#dcf8c6; align-self:flex-end; }
  .msg .text { white-space:pre-wrap; }
  .msg .meta { display:flex; gap:6px; justify-content:flex-end; align-items:center; font-size:11px; color:var(--muted); margin-top:2px; flex-wrap:wrap; }
  .tag { font-size:11px; color:var(--muted); border:1px dashed #aab4be; border-radius:4px; padding:0 5px; display:inline-block; margin:2px 4px 0 0; }
  .tick { font-weight:700; font-size:13px; letter-spacing:-3px; padding-right:3px; }
  .tick.sent, .tick.delivered { color:#6b7785; }
  .tick.read { color:var(--blue); }
  .tick.failed { color:var(--bad); letter-spacing:0; }
  .msg .err { color:var(--bad); font-size:12px; margin-top:2px; }
  table { width:100%; border-collapse:collapse; font-size:13px; }
  th, td { text-align:left; padding:5px 6px; border-bottom:1px solid var(--line); vertical-align:top; }
  th { color:var(--muted); font-weight:500; font-size:12px; }
  .empty { color:var(--muted); font-style:italic; padding:6px 0; }
  .sr-only { position:absolute; width:1px; height:1px; overflow:hidden; clip:rect(0 0 0 0); white-space:nowrap; }
</style>
</head>
<body>
<header>
  <h1>wabot admin</h1>
  <form id="token-form" class="row" style="margin:0">
    <label for="token" class="sr-only">Bearer token</label>
    <input id="token" type="password" autocomplete="off" placeholder="Bearer token (./run token --sub you)">
    <button type="submit">Sign in</button>
    <button type="button" id="sign-out" class="secondary">Sign out</button>
  </form>
  <span id="whoami"></span>
  <span id="status" role="status" aria-live="polite"></span>
</header>
<div id="alert" role="alert" hidden><div><strong id="alert-title"></strong><ul id="alert-lines"></ul></div><button type="button" class="secondary close" id="alert-close">Dismiss</button></div>
<main>
  <div>
    <section aria-labelledby="h-ws">
      <h2 id="h-ws">Workspaces</h2>
      <ul id="workspaces" class="list"></ul>
      <form id="ws-form" class="row">
        <label for="ws-name" class="sr-only">New workspace name</label>
        <input id="ws-name" placeholder="new workspace name" required maxlength="200">
        <button type="submit">Add</button>
      </form>
    </section>
    <section aria-labelledby="h-bots">
      <h2 id="h-bots">Bots</h2>
      <ul id="bots" class="list"></ul>
      <details>
        <summary>Create a bot</summary>
        <form id="bot-form">
          <label for="nb-name">Name</label><input id="nb-name" name="name" required maxlength="200">
          <label for="nb-prompt">System prompt</label><textarea id="nb-prompt" name="system_prompt" rows="3"></textarea>
          <label for="nb-phone">Phone number id (digits)</label><input id="nb-phone" name="phone_number_id" required inputmode="numeric" pattern="[0-9]+">
          <label for="nb-token">Access token</label><input id="nb-token" name="access_token" type="password" autocomplete="off" required>
          <label for="nb-verify">Verify token</label><input id="nb-verify" name="verify_token" type="password" autocomplete="off" required>
          <label for="nb-secret">App secret (recommended: verifies webhook signatures)</label><input id="nb-secret" name="app_secret" type="password" autocomplete="off">
          <div class="row"><button type="submit">Create bot</button></div>
        </form>
      </details>
    </section>
  </div>
  <div>
    <section aria-labelledby="h-bot" id="bot-section">
      <h2 id="h-bot">Bot</h2>
      <div id="bot-detail"><p class="empty">Select a bot.</p></div>
      <div id="activation"></div>
      <details id="bot-edit" hidden>
        <summary>Edit access token / system prompt</summary>
        <form id="edit-form">
          <label for="ed-token">New access token (leave empty to keep the current one)</label>
          <input id="ed-token" name="access_token" type="password" autocomplete="off">
          <label for="ed-prompt">System prompt</label>
          <textarea id="ed-prompt" name="system_prompt" rows="5"></textarea>
          <label for="ed-llm-key">New LLM provider key for settings.llm.provider (leave empty to keep the current one)</label>
          <input id="ed-llm-key" name="llm_api_key" type="password" autocomplete="off">
          <div class="row"><button type="submit">Save changes</button><span class="muted">A new token resets credential health; activate again to check it.</span></div>
        </form>
      </details>
    </section>
    <section aria-labelledby="h-conv">
      <h2 id="h-conv">Conversations</h2>
      <ul id="conversations" class="list"></ul>
      <div class="row"><button type="button" id="conv-more" class="secondary" hidden>Load more conversations</button></div>
    </section>
  </div>
  <section aria-labelledby="h-msg">
    <h2 id="h-msg">Messages <span id="msg-updated" class="muted" style="text-transform:none;letter-spacing:0"></span></h2>
    <div id="conv-head"><p class="empty">Select a conversation.</p></div>
    <details id="tpl-box" hidden>
      <summary>Send an approved template</summary>
      <form id="tpl-form">
        <label for="tpl-name">Template name</label><input id="tpl-name" name="name" required maxlength="512" placeholder="e.g. order_update">
        <label for="tpl-lang">Language code</label><input id="tpl-lang" name="language" required value="en_US" maxlength="15">
        <label for="tpl-params">Body parameters {{1}}, {{2}}, … (one per line)</label><textarea id="tpl-params" name="parameters" rows="3"></textarea>
        <div class="row"><button type="submit">Send template</button></div>
      </form>
    </details>
    <div class="row"><button type="button" id="msg-more" class="secondary" hidden>Load older messages</button></div>
    <div id="messages" aria-live="polite"></div>
  </section>
  <section id="dead-letters" aria-labelledby="h-dl">
    <h2 id="h-dl">Dead letters <span class="muted" style="text-transform:none;letter-spacing:0">failed worker jobs</span></h2>
    <div class="row">
      <label style="margin:0;display:flex;gap:6px;align-items:center;color:var(--fg)"><input type="checkbox" id="dl-this-bot" style="width:auto"> only the selected bot</label>
      <button type="button" id="dl-refresh" class="secondary">Refresh</button>
    </div>
    <div id="dl-table"></div>
  </section>
</main>
<script>
(function () {
  'use strict';
${dashboardHelpersScript}
  var PAGE = 50;
  var state = {
    workspace: null, bot: null, bots: [], conversation: null,
    conversations: [], convCursor: null,
    messages: [], msgCursor: null, warnings: {}, loadingOlder: false,
  };
  var $ = function (id) { return document.getElementById(id); };
  var tokenInput = $('token');

  /** Builds an element; text goes through textContent and text nodes only, never HTML. */
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      var v = attrs[k];
      if (v === undefined || v === null || v === false) return;
      if (k === 'text') node.textContent = String(v);
      else if (k === 'class') node.className = v;
      else if (k.slice(0, 2) === 'on') node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, String(v));
    });
    (children || []).forEach(function (c) {
      if (c === null || c === undefined || c === false) return;
      node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return node;
  }
  function pill(cls, text) { return el('span', { class: 'pill ' + cls, text: text }); }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function when(iso) { return iso ? new Date(iso).toLocaleString() : '—'; }
  function ago(iso) { return iso ? formatDuration(Date.now() - Date.parse(iso)) + ' ago' : ''; }
  function say(text) { $('status').textContent = text || ''; }
  function token() { return localStorage.getItem('wabot.token') || ''; }

  function showError(err) {
    var info = err && err.api ? err.api : { title: (err && err.message) || String(err), lines: [] };
    $('alert-title').textContent = info.title;
    var list = $('alert-lines'); clear(list);
    info.lines.forEach(function (l) { list.appendChild(el('li', { text: l })); });
    $('alert').hidden = false;
  }
  function hideError() { $('alert').hidden = true; }

  // The one fetch of the page: relative API paths only, with the bearer token.
  function request(method, path, body) {
    var headers = { authorization: 'Bearer ' + token() };
    if (body !== undefined) headers['content-type'] = 'application/json';
    return fetch(path, { method: method, headers: headers, body: body === undefined ? undefined : JSON.stringify(body) });
  }

  function api(method, path, body) {
    return request(method, path, body)
      .catch(function () { var e = new Error('network'); e.api = { title: 'Cannot reach the admin service', lines: ['check that it is running'] }; throw e; })
      .then(function (res) {
        if (res.status === 204) return null;
        return res.text().then(function (raw) {
          var json = null;
          try { json = raw ? JSON.parse(raw) : null; } catch (e) { json = null; }
          if (!res.ok) { var e = new Error('HTTP ' + res.status); e.api = describeApiError(res.status, json); throw e; }
          return json;
        });
      });
  }

  // An inbound file: fetched with the bearer token (an <a href> could not send it), saved from a blob URL.
  function openMedia(m) {
    request('GET', m.media.url).then(function (res) {
      if (!res.ok) throw new Error('HTTP ' + res.status);
      return res.blob();
    }).then(function (blob) {
      var link = el('a', { href: URL.createObjectURL(blob), download: m.media.filename || (m.media.kind + '-' + m.id) });
      link.click();
      setTimeout(function () { URL.revokeObjectURL(link.href); }, 60000);
    }).catch(function (err) { showError(new Error('could not open the file: ' + (err.message || err))); });
  }
  function mediaLines(m) {
    var media = m.media;
    if (!media) return [];
    var size = media.file_size == null ? '' : ' · ' + (media.file_size < 1024 ? media.file_size + ' B' : Math.round(media.file_size / 1024) + ' KB');
    var state = media.fetch_status === 'stored' ? 'stored' : media.fetch_status === 'deleted' ? 'removed by retention' : media.fetch_status;
    return [
      el('div', { class: 'meta' }, [
        el('span', { text: '📎 ' + (media.mime_type || media.kind) + size + ' · ' + state }),
        media.url ? el('button', { type: 'button', onclick: function () { openMedia(m); }, text: 'download' }) : null,
      ]),
      media.transcript ? el('div', { class: 'muted', text: '📝 ' + media.transcript }) : null,
      media.description ? el('div', { class: 'muted', text: '👁 ' + media.description }) : null,
      media.error ? el('div', { class: 'err', text: 'not stored: ' + media.error }) : null,
      media.understanding_error ? el('div', { class: 'err', text: media.understanding_error }) : null,
    ];
  }

  function showWho() {
    var info = tokenInfo(token(), Date.now());
    $('whoami').textContent = !info ? '' : info.expired ? 'token expired' :
      'signed in as ' + (info.sub || '?') + (info.left === null ? '' : ' · token valid ' + formatDuration(info.left));
  }

  // ---- workspaces ----
  function loadWorkspaces() {
    return api('GET', '/api/workspaces?limit=200').then(function (res) {
      hideError(); showWho();
      if (!state.workspace && res.data[0]) state.workspace = res.data[0].id;
      var list = $('workspaces'); clear(list);
      if (!res.data.length) list.appendChild(el('li', { class: 'empty', text: 'No workspace yet: add one below.' }));
      res.data.forEach(function (w) {
        list.appendChild(el('li', {}, [el('button', { type: 'button', class: 'item', 'aria-current': state.workspace === w.id ? 'true' : 'false',
          onclick: function () { selectWorkspace(w.id); } },
          [el('div', { text: w.name }), el('div', { class: 'muted', text: w.role })])]));
      });
      return loadBots();
    }).catch(showError);
  }
  function selectWorkspace(id) {
    state.workspace = id; state.bot = null; selectConversation(null);
    loadWorkspaces();
  }

  // ---- bots ----
  function loadBots() {
    if (!state.workspace) return Promise.resolve();
    return api('GET', '/api/bots?limit=200&workspace_id=' + encodeURIComponent(state.workspace)).then(function (res) {
      state.bots = res.data;
      var list = $('bots'); clear(list);
      if (!res.data.length) list.appendChild(el('li', { class: 'empty', text: 'No bots in this workspace.' }));
      res.data.forEach(function (b) {
        list.appendChild(el('li', {}, [el('button', { type: 'button', class: 'item', 'aria-current': state.bot === b.id ? 'true' : 'false',
          onclick: function () { selectBot(b.id); } },
          [el('div', {}, [el('strong', { text: b.name }), ' ', pill(b.status, b.status),
            b.credentials_status === 'invalid' ? ' ' : null, b.credentials_status === 'invalid' ? pill('invalid', 'credentials invalid') : null]),
           el('div', { class: 'muted', text: 'number ' + b.phone_number_id })])]));
      });
      var current = res.data.filter(function (b) { return b.id === state.bot; })[0];
      renderBot(current || null);
      if (current) loadDiagnostics(current.id);
    }).catch(showError);
  }
  var VERIFICATION_REASONS = {
    mode_missing: 'hub.mode was missing: this was not Meta\\'s "Verify and save"',
    mode_not_subscribe: 'hub.mode was not "subscribe"',
    token_missing: 'no verify token was sent',
    token_case_mismatch: 'the verify token typed into Meta differs from the bot\\'s only in letter case (Meta compares exactly)',
    token_mismatch: 'the verify token typed into Meta is not the bot\\'s',
    challenge_missing: 'hub.challenge was missing',
  };
  function loadDiagnostics(botId) {
    return api('GET', '/api/bots/' + encodeURIComponent(botId)).then(function (bot) {
      if (state.bot !== botId) return;
      if (bot.engine && bot.engine.canned) {
        $('bot-detail').insertBefore(el('div', { class: 'banner warn', role: 'status', text: bot.engine.note }), $('bot-detail').firstChild);
      }
      var d = bot.diagnostics;
      if (!d) return;
      var v = d.last_verification;
      var verification = !v ? 'none yet (press "Verify and save" in Meta\\'s portal)'
        : v.outcome === 'verified' ? 'verified ' + when(v.at)
        : 'refused ' + when(v.at) + ': ' + (VERIFICATION_REASONS[v.reason] || v.reason);
      $('bot-detail').appendChild(el('dl', { class: 'facts', 'aria-label': 'Webhook diagnostics' }, [
        el('dt', { text: 'Last verification' }), el('dd', { class: v && v.outcome === 'rejected' ? 'bad' : '', text: verification }),
        el('dt', { text: 'Last webhook' }), el('dd', { text: d.last_webhook_at ? when(d.last_webhook_at) : 'none received yet' }),
        el('dt', { text: 'Rejected signatures' }), el('dd', { text: String(d.rejected_signatures) + (d.rejected_signatures ? ' (is app_secret the Meta app\\'s?)' : '') }),
        el('dt', { text: 'Events for other numbers' }), el('dd', { text: String(d.foreign_phone_number_events) }),
      ]));
    }).catch(function () { /* the bot itself is shown; diagnostics are extra */ });
  }
  function selectBot(id) {
    state.bot = id; state.conversations = []; state.convCursor = null;
    selectConversation(null);
    $('ed-token').value = '';
    var b = state.bots.filter(function (x) { return x.id === id; })[0];
    $('ed-prompt').value = b ? b.system_prompt : '';
    $('bot-edit').open = false;
    loadBots(); loadConversations(false); loadDeadLetters();
  }

  function copyText(text, button) {
    var done = function () { button.textContent = 'Copied'; setTimeout(function () { button.textContent = 'Copy'; }, 1500); };
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text).then(done, function () { showError(new Error('copy failed: select the URL and copy it')); });
    var input = $('webhook-url'); input.select();
    try { document.execCommand('copy'); done(); } catch (e) { showError(new Error('copy failed: select the URL and copy it')); }
  }

  function secretText(s) { return s.set ? (s.hint || 'set') : 'not set'; }

  function renderBot(b) {
    var box = $('bot-detail'); clear(box);
    $('bot-edit').hidden = !b;
    if (!b) { box.appendChild(el('p', { class: 'empty', text: state.workspace ? 'Select a bot.' : 'Sign in and pick a workspace.' })); clear($('activation')); return; }
    var c = b.credentials;
    box.appendChild(el('h3', {}, [b.name + ' ', pill(b.status, b.status), ' ', pill(c.status, 'credentials ' + c.status)]));
    box.appendChild(el('div', { class: 'mono muted', text: b.id }));
    if (c.status === 'invalid') {
      box.appendChild(el('div', { class: 'banner bad', role: 'alert' }, [
        el('strong', { text: 'Meta rejects this bot\\'s credentials: replies cannot be sent.' }),
        el('div', { text: (c.error || 'no reason given') + (c.error_code != null ? ' (code ' + c.error_code + ')' : '') }),
        el('div', { text: 'Checked ' + when(c.checked_at) + '. Fix: replace the access token (Edit below), then activate again to re-check.' }),
      ]));
    } else if (c.status === 'unknown') {
      // Once active, the first send Meta accepts marks them ok: no activate-to-check prompt then.
      box.appendChild(el('div', { class: 'banner warn', text: b.status === 'active'
        ? 'Credentials not confirmed yet: the first reply Meta accepts confirms them.'
        : 'Credentials not checked yet: activate to check them against Meta.' }));
    } else if (c.error) {
      box.appendChild(el('div', { class: 'banner warn', text: 'Last credential note: ' + c.error }));
    }
    var alerts = (b.health && b.health.alerts) || [];
    if (alerts.length) {
      box.appendChild(el('div', { class: 'banner bad', role: 'alert' }, [
        el('strong', { text: 'The bot\\'s calls are failing: replies are retried for a few minutes, then recorded as failed.' }),
        el('ul', {}, alerts.map(function (a) { return el('li', { text: a }); })),
      ]));
    }
    var pc = b.platform_config;
    var url = el('input', { id: 'webhook-url', class: 'mono', readonly: 'readonly', value: b.webhook_url, 'aria-label': 'Webhook URL' });
    var copy = el('button', { type: 'button', class: 'secondary', text: 'Copy' });
    copy.addEventListener('click', function () { copyText(b.webhook_url, copy); });
    box.appendChild(el('dl', { class: 'facts' }, [
      el('dt', { text: 'Phone number id' }), el('dd', { class: 'mono', text: b.phone_number_id }),
      el('dt', { text: 'Business account' }), el('dd', { class: 'mono', text: b.business_account_id || '—' }),
      el('dt', { text: 'Access token' }), el('dd', { class: 'mono', text: secretText(pc.access_token) }),
      el('dt', { text: 'Verify token' }), el('dd', { class: 'mono', text: secretText(pc.verify_token) }),
      el('dt', { text: 'App secret' }), el('dd', {}, [el('span', { class: 'mono', text: secretText(pc.app_secret) }),
        pc.app_secret.set ? null : el('span', { class: 'muted', text: ' · signatures not verified' })]),
      el('dt', { text: 'Credentials checked' }), el('dd', { text: when(c.checked_at) }),
      el('dt', { text: 'LLM' }), el('dd', { class: 'mono', text: b.settings.llm.provider ? b.settings.llm.provider + ' · ' + b.settings.llm.model : 'deployment default (LLM_*) or offline demo' }),
      el('dt', { text: 'LLM key' }), el('dd', { class: 'mono', text: secretText(b.llm_api_key) }),
      el('dt', { text: 'Tokens used' }), el('dd', { text: b.usage_totals.input_tokens + ' in · ' + b.usage_totals.output_tokens + ' out · ' + b.usage_totals.turns + ' turns' }),
      el('dt', { text: 'Updated' }), el('dd', { text: when(b.updated_at) + ' · version ' + b.version }),
    ]));
    box.appendChild(el('label', { for: 'webhook-url', text: 'Webhook URL (set it in the Meta app dashboard with the verify token)' }));
    box.appendChild(el('div', { class: 'row' }, [url, copy]));
    (b.webhook_url_warnings || []).forEach(function (w) { box.appendChild(el('div', { class: 'banner warn', text: w })); });
    var activateButton = el('button', { type: 'button', text: b.status === 'active' ? 'Re-check credentials' : 'Activate' });
    activateButton.addEventListener('click', function () { activate(b, activateButton); });
    box.appendChild(el('div', { class: 'row' }, [activateButton,
      b.status === 'active' ? el('button', { type: 'button', class: 'danger', text: 'Deactivate', onclick: function () { deactivate(b); } }) : null]));
    renderActivation(b.id);
  }

  function renderActivation(botId) {
    var box = $('activation'); clear(box);
    var a = state.warnings[botId];
    if (!a) return;
    if (!a.warnings.length) {
      box.appendChild(el('div', { class: 'banner ok', text: 'Activated ' + when(a.at) + ' with no warnings. Meta webhook setup is manual: paste the webhook URL and verify token in the app dashboard.' }));
      return;
    }
    box.appendChild(el('div', { class: 'banner warn' }, [
      el('strong', { text: 'Activated ' + when(a.at) + ' with ' + a.warnings.length + ' warning(s):' }),
      el('ul', {}, a.warnings.map(function (w) { return el('li', { text: w }); })),
      el('div', { class: 'muted', text: 'Meta webhook setup is manual: paste the webhook URL and verify token in the app dashboard.' }),
    ]));
  }

  function activate(b, button) {
    button.disabled = true; say('checking credentials with Meta…');
    api('POST', '/api/bots/' + encodeURIComponent(b.id) + '/activate').then(function (r) {
      hideError(); say('bot active');
      state.warnings[b.id] = { at: new Date().toISOString(), warnings: r.warnings };
      return loadBots();
    }).catch(showError).then(function () { button.disabled = false; });
  }
  function deactivate(b) {
    if (!window.confirm('Deactivate "' + b.name + '"? The bot stops replying at once.')) return;
    api('POST', '/api/bots/' + encodeURIComponent(b.id) + '/deactivate').then(function () {
      hideError(); say('bot deactivated'); delete state.warnings[b.id]; return loadBots();
    }).catch(showError);
  }

  // ---- conversations ----
  function loadConversations(more) {
    if (!state.bot) { renderConversations(); return Promise.resolve(); }
    var botId = state.bot;
    // A refresh re-reads as many as are shown, so "load more" pages survive it.
    var limit = more ? PAGE : Math.min(200, Math.max(PAGE, state.conversations.length));
    var q = '?limit=' + limit + (more && state.convCursor ? '&cursor=' + encodeURIComponent(state.convCursor) : '');
    return api('GET', '/api/bots/' + encodeURIComponent(botId) + '/conversations' + q).then(function (res) {
      if (state.bot !== botId) return;
      state.conversations = more ? state.conversations.concat(res.data) : res.data;
      state.convCursor = res.next_cursor;
      renderConversations();
    }).catch(showError);
  }
  function renderConversations() {
    var list = $('conversations'); clear(list);
    $('conv-more').hidden = !state.convCursor;
    if (!state.bot) { list.appendChild(el('li', { class: 'empty', text: 'Select a bot.' })); return; }
    if (!state.conversations.length) { list.appendChild(el('li', { class: 'empty', text: 'No conversations yet.' })); return; }
    var now = Date.now();
    state.conversations.forEach(function (c) {
      var who = userLabel(c), win = windowState(c.window, now), last = c.last_message;
      var lastLine = last ? [(last.direction === 'outbound' ? 'bot: ' : '') + shorten(last.text, 70),
        last.direction === 'outbound' ? ' · ' + statusTick(last).label : ''].join('') : 'no messages';
      list.appendChild(el('li', {}, [el('button', { type: 'button', class: 'item', 'aria-current': state.conversation === c.id ? 'true' : 'false',
        onclick: function () { selectConversation(c.id); } }, [
          el('div', {}, [el('strong', { text: who.name }), ' ', pill(win.open ? 'open' : 'closed', win.text)]),
          who.ids ? el('div', { class: 'muted mono', text: who.ids }) : null,
          el('div', { class: 'muted', text: lastLine + ' · ' + ago(c.last_message_at) }),
        ])]));
    });
  }

  // ---- messages ----
  function selectConversation(id) {
    state.conversation = id; state.messages = []; state.msgCursor = null;
    $('tpl-box').hidden = !id;
    $('msg-updated').textContent = '';
    renderConversations(); renderMessages();
    if (id) {
      var c = currentConversation();
      $('tpl-box').open = !!c && !windowState(c.window, Date.now()).open;
      loadMessages(false);
    }
  }
  function currentConversation() { return state.conversations.filter(function (c) { return c.id === state.conversation; })[0] || null; }

  function loadMessages(older) {
    if (!state.conversation) return Promise.resolve();
    var id = state.conversation;
    var limit = older ? PAGE : Math.min(200, Math.max(PAGE, state.messages.length));
    var q = '?limit=' + limit + (older && state.msgCursor ? '&cursor=' + encodeURIComponent(state.msgCursor) : '');
    return api('GET', '/api/conversations/' + encodeURIComponent(id) + '/messages' + q).then(function (res) {
      if (state.conversation !== id) return;
      if (older) { state.messages = state.messages.concat(res.data); state.msgCursor = res.next_cursor; }
      else if (state.messages.length <= 200) { state.messages = res.data; state.msgCursor = res.next_cursor; }
      else {
        // More than one refresh can cover: replace the newest, keep the older ones already shown.
        var fresh = {}; res.data.forEach(function (m) { fresh[m.id] = true; });
        var oldest = res.data.length ? res.data[res.data.length - 1].created_at : '';
        state.messages = res.data.concat(state.messages.filter(function (m) { return !fresh[m.id] && m.created_at <= oldest; }));
      }
      $('msg-updated').textContent = 'updated ' + new Date().toLocaleTimeString();
      renderMessages();
    }).catch(showError);
  }

  function renderMessages() {
    var head = $('conv-head'); clear(head);
    var box = $('messages'); clear(box);
    $('msg-more').hidden = !state.msgCursor;
    var c = currentConversation();
    if (!state.conversation || !c) { head.appendChild(el('p', { class: 'empty', text: 'Select a conversation.' })); return; }
    var who = userLabel(c), win = windowState(c.window, Date.now());
    head.appendChild(el('h3', { text: who.name }));
    head.appendChild(el('div', { class: 'muted mono', text: [who.ids, 'key ' + c.user_key].filter(Boolean).join(' · ') }));
    head.appendChild(win.open
      ? el('div', { class: 'banner ok', text: win.text + ' (closes ' + when(c.window.expires_at) + '): the bot can reply freely.' })
      : el('div', { class: 'banner warn', text: win.text + ': free-form replies are not delivered; send an approved template to re-engage the user.' }));
    if (!state.messages.length) { box.appendChild(el('p', { class: 'empty', text: 'No messages loaded.' })); return; }
    // The API pages newest first; a conversation reads oldest first.
    state.messages.slice().reverse().forEach(function (m) {
      var tick = statusTick(m);
      var tags = metadataLabels(m.metadata).map(function (t) { return el('span', { class: 'tag', text: t }); });
      if (m.part_count && m.part_count > 1) tags.push(el('span', { class: 'tag', text: 'part ' + ((m.part_index || 0) + 1) + '/' + m.part_count }));
      if (m.type !== 'text' && !tags.length) tags.push(el('span', { class: 'tag', text: m.type }));
      var times = [['sent', m.sent_at], ['delivered', m.delivered_at], ['read', m.read_at], ['failed', m.failed_at]]
        .filter(function (p) { return p[1]; }).map(function (p) { return p[0] + ' ' + when(p[1]); }).join(', ');
      box.appendChild(el('article', { class: 'msg ' + m.direction, 'aria-label': (m.direction === 'inbound' ? 'from user' : 'from bot') + ', ' + tick.label }, [
        el('div', { class: 'text', text: m.text }),
      ].concat(mediaLines(m), [
        tags.length ? el('div', {}, tags) : null,
        m.status === 'failed' ? el('div', { class: 'err', text: tick.label + (m.error_details ? ' · ' + m.error_details : '') }) : null,
        m.status !== 'failed' && m.last_error ? el('div', { class: 'err', text: 'retrying (' + m.attempts + ' attempt(s)): ' + m.last_error.title + ' · ' + when(m.last_error.at) }) : null,
        el('div', { class: 'meta' }, [
          el('span', { text: when(m.direction === 'inbound' && m.meta_timestamp ? m.meta_timestamp : m.created_at) }),
          m.direction === 'outbound' && tick.cls !== 'failed' ? el('span', { text: tick.label }) : null,
          tick.symbol ? el('span', { class: 'tick ' + tick.cls, title: tick.label + (times ? ' · ' + times : ''), 'aria-hidden': 'true', text: tick.symbol }) : null,
          m.direction === 'inbound' ? el('span', { text: tick.label }) : null,
        ]),
      ])));
    });
  }

  // ---- dead letters ----
  function loadDeadLetters() {
    if (!token()) return Promise.resolve();
    var q = '?limit=100' + ($('dl-this-bot').checked && state.bot ? '&bot_id=' + encodeURIComponent(state.bot) : '');
    return api('GET', '/api/dead-letters' + q).then(function (res) {
      var box = $('dl-table'); clear(box);
      if (!res.data.length) { box.appendChild(el('p', { class: 'empty', text: 'No failed jobs. Good.' })); return; }
      var names = {}; state.bots.forEach(function (b) { names[b.id] = b.name; });
      var rows = res.data.map(function (d) {
        var retry = el('button', { type: 'button', class: 'secondary', text: 'Retry', 'aria-label': 'Retry job ' + d.job_id });
        retry.addEventListener('click', function () {
          retry.disabled = true;
          api('POST', '/api/dead-letters/' + encodeURIComponent(d.queue) + '/' + encodeURIComponent(d.job_id) + '/retry')
            .then(function () { hideError(); say('job ' + d.job_id + ' queued again'); return loadDeadLetters(); })
            .catch(function (e) { retry.disabled = false; showError(e); });
        });
        return el('tr', {}, [
          el('td', { text: when(d.failed_at) }),
          el('td', {}, [el('div', { text: d.queue + ' · ' + d.name }), el('div', { class: 'muted mono', text: d.job_id })]),
          el('td', { text: names[d.bot_id] || d.bot_id }),
          el('td', { text: d.failed_reason || '—' }),
          el('td', { text: d.attempts_made + (d.max_attempts ? '/' + d.max_attempts : '') }),
          el('td', {}, [retry]),
        ]);
      });
      box.appendChild(el('table', {}, [
        el('thead', {}, [el('tr', {}, ['Failed', 'Job', 'Bot', 'Reason', 'Attempts', ''].map(function (h) { return el('th', { scope: 'col', text: h }); }))]),
        el('tbody', {}, rows),
      ]));
    }).catch(showError);
  }

  // ---- forms and wiring ----
  $('token-form').addEventListener('submit', function (event) {
    event.preventDefault();
    localStorage.setItem('wabot.token', tokenInput.value.trim());
    tokenInput.value = '';
    say('signing in…');
    loadWorkspaces().then(function () { say(''); return loadDeadLetters(); });
  });
  $('sign-out').addEventListener('click', function () {
    localStorage.removeItem('wabot.token'); tokenInput.value = '';
    state.workspace = null; state.bot = null; state.bots = []; state.conversations = []; state.warnings = {};
    selectConversation(null); renderBot(null); renderConversations();
    ['workspaces', 'bots', 'dl-table'].forEach(function (id) { clear($(id)); });
    hideError(); showWho(); say('signed out');
  });
  $('alert-close').addEventListener('click', hideError);
  $('ws-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var name = $('ws-name').value.trim();
    api('POST', '/api/workspaces', { name: name }).then(function (w) { $('ws-name').value = ''; hideError(); selectWorkspace(w.id); }).catch(showError);
  });
  $('bot-form').addEventListener('submit', function (event) {
    event.preventDefault();
    if (!state.workspace) return showError(new Error('Pick a workspace first.'));
    var f = new FormData(event.target);
    var pc = { phone_number_id: f.get('phone_number_id'), access_token: f.get('access_token'), verify_token: f.get('verify_token') };
    if (f.get('app_secret')) pc.app_secret = f.get('app_secret');
    api('POST', '/api/bots', { name: f.get('name'), platform: 'whatsapp', workspace_id: state.workspace, system_prompt: f.get('system_prompt') || '', platform_config: pc })
      .then(function (b) { event.target.reset(); hideError(); say('bot created: activate it'); state.bots.push(b); selectBot(b.id); })
      .catch(showError);
  });
  $('edit-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var b = state.bots.filter(function (x) { return x.id === state.bot; })[0];
    if (!b) return;
    var body = {};
    var newToken = $('ed-token').value.trim();
    if (newToken) body.platform_config = { access_token: newToken };
    if ($('ed-prompt').value !== b.system_prompt) body.system_prompt = $('ed-prompt').value;
    var newLlmKey = $('ed-llm-key').value.trim();
    if (newLlmKey) body.llm_api_key = newLlmKey;
    if (!Object.keys(body).length) return say('nothing to change');
    api('PATCH', '/api/bots/' + encodeURIComponent(b.id), body).then(function (updated) {
      $('ed-token').value = ''; $('ed-llm-key').value = ''; hideError();
      delete state.warnings[b.id];
      say(newToken ? 'saved: access token replaced; activate to check it' : 'saved');
      $('ed-prompt').value = updated.system_prompt;
      return loadBots();
    }).catch(showError);
  });
  $('tpl-form').addEventListener('submit', function (event) {
    event.preventDefault();
    if (!state.conversation) return;
    var body = { name: $('tpl-name').value.trim(), language: $('tpl-lang').value.trim(), parameters: splitLines($('tpl-params').value) };
    api('POST', '/api/conversations/' + encodeURIComponent(state.conversation) + '/template', body).then(function () {
      hideError(); say('template queued'); $('tpl-params').value = '';
      return loadMessages(false);
    }).catch(showError);
  });
  $('conv-more').addEventListener('click', function () { loadConversations(true); });
  $('msg-more').addEventListener('click', function () { loadMessages(true); });
  $('dl-refresh').addEventListener('click', loadDeadLetters);
  $('dl-this-bot').addEventListener('change', loadDeadLetters);

  // Auto-refresh: the open conversation every 4 s, the rest every 20 s; paused in hidden tabs.
  var ticks = 0;
  setInterval(function () {
    if (!token() || document.hidden) return;
    ticks += 1;
    if (state.conversation) loadMessages(false);
    if (state.bot && ticks % 2 === 0) loadConversations(false);
    if (ticks % 5 === 0) { showWho(); loadBots(); loadDeadLetters(); }
  }, 4000);

  renderBot(null); renderConversations(); renderMessages();
  if (token()) { showWho(); loadWorkspaces().then(loadDeadLetters); }
})();
</script>
</body>
</html>
`;
