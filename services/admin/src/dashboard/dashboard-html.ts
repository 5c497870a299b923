/**
 * The dashboard: one self-contained page (inline CSS and JS, nothing fetched from elsewhere) that
 * talks to the admin API with a bearer token kept in localStorage. Everything received is inserted
 * with textContent, never as HTML: message text comes from WhatsApp users.
 */
export const dashboardHtml = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>wabot admin</title>
<style>
  :root { --fg:#1d2329; --muted:#67727e; --line:#d9dee3; --bg:#f6f8fa; --accent:#128c7e; --bad:#c0392b; --warn:#b7791f; }
  * { box-sizing: border-box; }
  body { margin:0; font:14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color:var(--fg); background:var(--bg); }
  header { display:flex; gap:12px; align-items:center; padding:10px 16px; background:#fff; border-bottom:1px solid var(--line); }
  header h1 { font-size:16px; margin:0 12px 0 0; color:var(--accent); }
  main { display:grid; grid-template-columns: 260px 1fr 1fr; gap:12px; padding:12px; }
  section { background:#fff; border:1px solid var(--line); border-radius:6px; padding:12px; min-height:120px; overflow:auto; }
  h2 { font-size:13px; text-transform:uppercase; letter-spacing:.04em; color:var(--muted); margin:0 0 8px; }
  input, select, textarea, button { font:inherit; }
  input, textarea { width:100%; padding:5px 7px; border:1px solid var(--line); border-radius:4px; }
  button { padding:5px 10px; border:1px solid var(--accent); background:var(--accent); color:#fff; border-radius:4px; cursor:pointer; }
  button.secondary { background:#fff; color:var(--accent); }
  ul { list-style:none; margin:0; padding:0; }
  li.item { padding:6px 8px; border-radius:4px; cursor:pointer; border:1px solid transparent; }
  li.item:hover { background:var(--bg); }
  li.item.selected { border-color:var(--accent); background:#eefaf7; }
  .muted { color:var(--muted); font-size:12px; }
  .pill { display:inline-block; padding:0 6px; border-radius:9px; font-size:11px; background:var(--bg); border:1px solid var(--line); }
  .pill.active, .pill.ok, .pill.open, .pill.delivered, .pill.read, .pill.sent { color:var(--accent); border-color:var(--accent); }
  .pill.invalid, .pill.failed, .pill.closed { color:var(--bad); border-color:var(--bad); }
  .pill.pending, .pill.unknown { color:var(--warn); border-color:var(--warn); }
  .msg { padding:6px 8px; margin:6px 0; border-radius:6px; max-width:90%; white-space:pre-wrap; word-break:break-word; }
  .msg.inbound { background:var(--bg); }
  .msg.outbound { background:#dcf8c6; margin-left:auto; }
  .row { display:flex; gap:6px; margin:6px 0; align-items:center; }
  .stack > * { margin:4px 0; }
  #status { margin-left:auto; color:var(--muted); }
  #status.error { color:var(--bad); }
  details { margin-top:8px; }
  .warn { color:var(--warn); }
</style>
</head>
<body>
<header>
  <h1>wabot admin</h1>
  <input id="token" type="password" placeholder="Bearer token (./run token --sub you)" style="max-width:420px">
  <button id="save-token">Sign in</button>
  <button id="sign-out" class="secondary">Sign out</button>
  <span id="status"></span>
</header>
<main>
  <section>
    <h2>Workspaces</h2>
    <ul id="workspaces"></ul>
    <div class="row"><input id="ws-name" placeholder="new workspace name"><button id="ws-create">Add</button></div>
  </section>
  <section>
    <h2>Bots</h2>
    <ul id="bots"></ul>
    <div id="bot-detail" class="stack"></div>
    <details>
      <summary>Create a bot</summary>
      <form id="bot-form" class="stack">
        <input name="name" placeholder="name" required>
        <textarea name="system_prompt" rows="3" placeholder="system prompt"></textarea>
        <input name="phone_number_id" placeholder="phone number id (digits)" required>
        <input name="access_token" type="password" placeholder="access token" required>
        <input name="verify_token" placeholder="verify token" required>
        <input name="app_secret" type="password" placeholder="app secret (recommended)">
        <button type="submit">Create</button>
      </form>
    </details>
  </section>
  <section>
    <h2>Conversations</h2>
    <ul id="conversations"></ul>
    <h2 style="margin-top:12px">Messages</h2>
    <div id="messages"></div>
  </section>
</main>
<script>
(function () {
  'use strict';
  var state = { workspace: null, bot: null, conversation: null };
  var $ = function (id) { return document.getElementById(id); };
  var tokenInput = $('token');
  tokenInput.value = localStorage.getItem('wabot.token') || '';

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') node.textContent = attrs[k];
      else if (k === 'class') node.className = attrs[k];
      else if (k.slice(0, 2) === 'on') node.addEventListener(k.slice(2), attrs[k]);
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return node;
  }
  function pill(text) { return el('span', { class: 'pill ' + String(text), text: String(text) }); }
  function say(text, isError) { var s = $('status'); s.textContent = text || ''; s.className = isError ? 'error' : ''; }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function when(iso) { return iso ? new Date(iso).toLocaleString() : ''; }

  function api(method, path, body) {
    var headers = { authorization: 'Bearer ' + (localStorage.getItem('wabot.token') || '') };
    if (body !== undefined) headers['content-type'] = 'application/json';
    return fetch(path, { method: method, headers: headers, body: body === undefined ? undefined : JSON.stringify(body) })
      .then(function (res) {
        if (res.status === 204) return null;
        return res.json().then(function (json) {
          if (!res.ok) {
            var msg = (json && json.error && json.error.message) || ('HTTP ' + res.status);
            throw new Error(msg);
          }
          return json;
        });
      });
  }
  function fail(e) { say(e.message, true); }

  function loadWorkspaces() {
    return api('GET', '/api/workspaces').then(function (res) {
      var list = $('workspaces'); clear(list);
      res.data.forEach(function (w) {
        list.appendChild(el('li', { class: 'item' + (state.workspace === w.id ? ' selected' : ''), onclick: function () { state.workspace = w.id; state.bot = null; loadWorkspaces(); loadBots(); } },
          [el('div', { text: w.name }), el('div', { class: 'muted', text: w.role + ' · ' + w.id })]));
      });
      if (!state.workspace && res.data[0]) { state.workspace = res.data[0].id; loadWorkspaces(); loadBots(); }
      say('signed in');
    }).catch(fail);
  }

  function loadBots() {
    if (!state.workspace) return;
    return api('GET', '/api/bots?workspace_id=' + encodeURIComponent(state.workspace)).then(function (res) {
      var list = $('bots'); clear(list);
      res.data.forEach(function (b) {
        list.appendChild(el('li', { class: 'item' + (state.bot === b.id ? ' selected' : ''), onclick: function () { state.bot = b.id; state.conversation = null; loadBots(); loadConversations(); } },
          [el('div', {}, [b.name + ' ', pill(b.status), ' ', pill(b.credentials_status)]), el('div', { class: 'muted', text: b.id + ' · ' + b.phone_number_id })]));
        if (state.bot === b.id) showBot(b);
      });
      if (!state.bot) clear($('bot-detail'));
    }).catch(fail);
  }

  function showBot(b) {
    var box = $('bot-detail'); clear(box);
    var pc = b.platform_config;
    box.appendChild(el('div', { class: 'muted', text: 'webhook URL: ' + b.webhook_url }));
    box.appendChild(el('div', { class: 'muted', text: 'access token ' + (pc.access_token.hint || '-') + ' · verify token ' + (pc.verify_token.hint || '-') + ' · app secret ' + (pc.app_secret.set ? pc.app_secret.hint : 'not set') }));
    if (b.credentials.error) box.appendChild(el('div', { class: 'warn', text: 'credentials: ' + b.credentials.error + ' (' + when(b.credentials.checked_at) + ')' }));
    var warnings = el('ul', {});
    box.appendChild(el('div', { class: 'row' }, [
      el('button', { text: b.status === 'active' ? 'Re-check / activate' : 'Activate', onclick: function () {
        api('POST', '/api/bots/' + b.id + '/activate').then(function (r) {
          clear(warnings);
          r.warnings.forEach(function (w) { warnings.appendChild(el('li', { class: 'warn', text: '⚠ ' + w })); });
          say('active: set ' + r.webhook_url + ' in the Meta portal');
          loadBots();
        }).catch(fail);
      } }),
      el('button', { class: 'secondary', text: 'Deactivate', onclick: function () { api('POST', '/api/bots/' + b.id + '/deactivate').then(loadBots).catch(fail); } }),
    ]));
    box.appendChild(warnings);
  }

  function loadConversations() {
    if (!state.bot) return;
    return api('GET', '/api/bots/' + state.bot + '/conversations').then(function (res) {
      var list = $('conversations'); clear(list);
      if (!res.data.length) list.appendChild(el('li', { class: 'muted', text: 'no conversations yet' }));
      res.data.forEach(function (c) {
        var who = c.profile_name || c.wa_id || c.user_id || c.user_key;
        list.appendChild(el('li', { class: 'item' + (state.conversation === c.id ? ' selected' : ''), onclick: function () { state.conversation = c.id; loadConversations(); loadMessages(); } },
          [el('div', {}, [who + ' ', pill(c.window.open ? 'open' : 'closed')]),
           el('div', { class: 'muted', text: (c.last_message ? c.last_message.text.slice(0, 80) : '') + ' · ' + when(c.last_message_at) })]));
      });
    }).catch(fail);
  }

  function loadMessages() {
    if (!state.conversation) return;
    return api('GET', '/api/conversations/' + state.conversation + '/messages?limit=100').then(function (res) {
      var box = $('messages'); clear(box);
      res.data.slice().reverse().forEach(function (m) {
        var meta = [m.type, when(m.created_at)];
        var line = el('div', { class: 'muted' }, [meta.join(' · ') + ' ', pill(m.status)]);
        var children = [el('div', { text: m.text }), line];
        if (m.error_code || m.error_title) children.push(el('div', { class: 'warn', text: 'error ' + (m.error_code || '') + ' ' + (m.error_title || '') }));
        box.appendChild(el('div', { class: 'msg ' + m.direction }, children));
      });
    }).catch(fail);
  }

  $('save-token').addEventListener('click', function () {
    localStorage.setItem('wabot.token', tokenInput.value.trim());
    loadWorkspaces();
  });
  $('sign-out').addEventListener('click', function () {
    localStorage.removeItem('wabot.token'); tokenInput.value = '';
    ['workspaces', 'bots', 'bot-detail', 'conversations', 'messages'].forEach(function (id) { clear($(id)); });
    say('signed out');
  });
  $('ws-create').addEventListener('click', function () {
    var name = $('ws-name').value.trim();
    if (!name) return;
    api('POST', '/api/workspaces', { name: name }).then(function (w) { state.workspace = w.id; $('ws-name').value = ''; loadWorkspaces(); loadBots(); }).catch(fail);
  });
  $('bot-form').addEventListener('submit', function (event) {
    event.preventDefault();
    if (!state.workspace) return say('pick a workspace first', true);
    var f = new FormData(event.target);
    var pc = { phone_number_id: f.get('phone_number_id'), access_token: f.get('access_token'), verify_token: f.get('verify_token') };
    if (f.get('app_secret')) pc.app_secret = f.get('app_secret');
    api('POST', '/api/bots', { name: f.get('name'), platform: 'whatsapp', workspace_id: state.workspace, system_prompt: f.get('system_prompt') || '', platform_config: pc })
      .then(function (b) { event.target.reset(); state.bot = b.id; say('bot created: activate it'); loadBots(); })
      .catch(fail);
  });
  setInterval(function () { if (state.conversation) loadMessages(); if (state.bot) loadConversations(); }, 5000);
  if (tokenInput.value) loadWorkspaces();
})();
</script>
</body>
</html>
`;
