/**
 * @module surfaces/http/dashboard/page
 * The dashboard's HTML shell and stylesheet. The page has no inline script or style (the server
 * sends a strict Content-Security-Policy); everything dynamic is in `client.ts`.
 */

/** The HTML document served at `/`. */
export const DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Airlock dashboard</title>
<link rel="stylesheet" href="/assets/style.css">
<script type="module" src="/assets/app.js"></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
  <h1>Airlock</h1>
  <nav aria-label="Pages">
    <a href="#/approvals" data-page="approvals">Approvals <span id="pending-count" class="count" aria-label="pending approvals">0</span></a>
    <a href="#/timeline" data-page="timeline">Timeline</a>
    <a href="#/audit" data-page="audit">Audit</a>
    <a href="#/policy" data-page="policy">Policy</a>
  </nav>
  <div class="who"><span id="whoami">not signed in</span> <span id="live" class="live" role="status" aria-live="polite"></span> <button id="signout" type="button" hidden>Sign out</button></div>
</header>
<main id="main" tabindex="-1">
  <section id="login" class="card" hidden>
    <h2>Sign in</h2>
    <p>Paste an API key (printed by <code>airlock serve</code> on first start, or created with <code>airlock serve --add-key TENANT:ROLE:NAME</code>). It stays in this tab only.</p>
    <form id="login-form">
      <label for="key">API key</label>
      <input id="key" name="key" type="password" autocomplete="off" required>
      <button type="submit">Sign in</button>
      <p id="login-error" class="error" role="alert"></p>
    </form>
  </section>
  <section id="view" aria-live="polite"></section>
</main>
</body>
</html>
`;

/** The stylesheet: system fonts, high contrast, visible focus, readable on a laptop. */
export const DASHBOARD_CSS = `:root { --bg:#f7f7f8; --fg:#16181d; --muted:#5b6070; --card:#fff; --line:#d9dbe1; --allow:#1d7a3a; --ask:#a35c00; --deny:#b3261e; --accent:#2444b8; }
* { box-sizing: border-box; }
body { margin:0; font:15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; background:var(--bg); color:var(--fg); }
code, pre, .mono { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, monospace; font-size: 13px; }
pre { background:#f0f1f4; padding:8px 10px; border-radius:6px; overflow:auto; max-height:320px; white-space:pre-wrap; word-break:break-word; margin:6px 0; }
.skip { position:absolute; left:-999px; } .skip:focus { left:8px; top:8px; background:#fff; padding:6px; z-index:9; }
.top { display:flex; align-items:center; gap:24px; padding:10px 20px; background:#16181d; color:#fff; flex-wrap:wrap; }
.top h1 { font-size:18px; margin:0; letter-spacing:.5px; }
.top nav { display:flex; gap:6px; }
.top nav a { color:#dfe3ee; text-decoration:none; padding:6px 10px; border-radius:6px; }
.top nav a[aria-current="page"] { background:#343a4a; color:#fff; }
.top nav a:focus-visible, button:focus-visible, a:focus-visible, input:focus-visible, select:focus-visible { outline:3px solid #ffbf47; outline-offset:2px; }
.who { margin-left:auto; color:#c9cdd8; font-size:13px; }
.live { display:inline-block; margin-left:8px; }
.count { display:inline-block; min-width:20px; padding:0 6px; border-radius:10px; background:#6b7180; color:#fff; font-size:12px; text-align:center; }
.count.has { background:var(--ask); }
main { max-width:1200px; margin:0 auto; padding:20px; }
.card { background:var(--card); border:1px solid var(--line); border-radius:10px; padding:14px 18px; margin-bottom:14px; }
h2 { font-size:18px; margin:4px 0 12px; } h3 { font-size:15px; margin:12px 0 6px; }
.muted { color:var(--muted); }
.badge { display:inline-block; padding:1px 8px; border-radius:10px; font-size:12px; font-weight:600; color:#fff; background:#6b7180; text-transform:uppercase; }
.badge.allow { background:var(--allow); } .badge.ask, .badge.waiting-approval, .badge.pending { background:var(--ask); } .badge.deny, .badge.denied, .badge.failed, .badge.expired { background:var(--deny); } .badge.approved { background:var(--allow); }
.sev-critical, .sev-high { color:var(--deny); font-weight:600; } .sev-medium { color:var(--ask); font-weight:600; }
table { width:100%; border-collapse:collapse; } th, td { text-align:left; padding:6px 8px; border-bottom:1px solid var(--line); vertical-align:top; }
th { font-size:12px; text-transform:uppercase; color:var(--muted); }
td code { overflow-wrap:anywhere; word-break:break-word; }
td.mono { white-space:nowrap; }
pre.tall { max-height:none; }
td.nowrap { white-space:nowrap; }
.card { overflow-x:auto; }
tr.run-row a { color:var(--accent); }
button { font:inherit; padding:6px 12px; border-radius:6px; border:1px solid #9aa0ae; background:#fff; cursor:pointer; }
button.primary { background:var(--allow); color:#fff; border-color:var(--allow); } button.danger { background:var(--deny); color:#fff; border-color:var(--deny); }
button:disabled { opacity:.5; cursor:not-allowed; }
.actions { display:flex; gap:8px; flex-wrap:wrap; margin-top:10px; }
input[type=password], input[type=text], select { font:inherit; padding:6px 8px; border:1px solid #9aa0ae; border-radius:6px; min-width:320px; }
label { display:block; font-weight:600; margin-bottom:4px; }
.error { color:var(--deny); } .ok { color:var(--allow); }
.grid { display:grid; grid-template-columns: 1fr 1fr; gap:14px; } @media (max-width: 900px) { .grid { grid-template-columns: 1fr; } }
.kv { display:grid; grid-template-columns: 180px 1fr; gap:4px 12px; } .kv dt { color:var(--muted); } .kv dd { margin:0; }
svg.chart text { font-size:11px; fill:var(--muted); }
.legend span { margin-right:12px; } .legend i { display:inline-block; width:10px; height:10px; margin-right:4px; border-radius:2px; }
`;
