/**
 * The style sheet of every HTML page the app serves (dashboard, approval pages, error pages),
 * served as `/dashboard/app.css`: system fonts, light and dark colours
 * (`prefers-color-scheme`) whose text meets WCAG AA contrast on every background it is used
 * on, layouts that reflow down to a 320 px wide phone, and a visible focus ring.
 *
 * @example
 * ```ts
 * app.get('/dashboard/app.css', (c) => c.body(DASHBOARD_CSS, 200, { 'content-type': 'text/css' }));
 * ```
 */

/** The CSS text. @example `DASHBOARD_CSS.includes('prefers-color-scheme'); // true` */
export const DASHBOARD_CSS = `
:root{color-scheme:light dark;--bg:#ffffff;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--card:#f6f8fa;--raised:#ffffff;--link:#0550ae;
--ok:#116329;--bad:#b3191f;--run:#0550ae;--warn:#7d4e00;--idle:#59636e;--on:#ffffff;--accent:#0969da;
--ok-bar:#2da44e;--ok-btn:#1a7f37;--bad-bar:#cf222e;--run-bar:#218bff;--warn-bar:#bf8700;--idle-bar:#8c959f;--focus:#0969da}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9aa4ae;--line:#3d444d;--card:#151b23;--raised:#1c2330;--link:#6cb6ff;
--ok:#4ac26b;--bad:#ff7b72;--run:#6cb6ff;--warn:#e3b341;--idle:#9aa4ae;--on:#0d1117;--accent:#4493f8;
--ok-bar:#3fb950;--ok-btn:#3fb950;--bad-bar:#f85149;--run-bar:#4493f8;--warn-bar:#d29922;--idle-bar:#6e7681;--focus:#6cb6ff}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
a{color:var(--link)}
code,pre,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.875em}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
.skip{position:absolute;left:-999px;top:.5rem;background:var(--raised);color:var(--fg);padding:.5rem .75rem;border:2px solid var(--focus);z-index:10}
.skip:focus{left:.5rem}
.sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0}
.topbar{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1rem;padding:.6rem 1rem;border-bottom:1px solid var(--line);background:var(--card)}
.brand{font-weight:700;color:var(--fg);text-decoration:none;font-size:1.05rem}
.topbar nav ul{display:flex;flex-wrap:wrap;gap:.25rem 1rem;list-style:none;margin:0;padding:0}
.topbar nav a[aria-current="page"]{font-weight:600;color:var(--fg)}
.topbar .spacer{flex:1}
.who{color:var(--muted);font-size:.9rem}
.live{font-size:.85rem;color:var(--muted);border:1px solid var(--line);border-radius:999px;padding:0 .6rem}
.live[data-state="open"]{color:var(--ok);border-color:currentColor}
.live[data-state="closed"]{color:var(--warn);border-color:currentColor}
main{max-width:84rem;margin:0 auto;padding:1rem 1rem 3rem}
main.narrow{max-width:42rem}
h1{font-size:1.5rem;line-height:1.25;margin:.25rem 0 .75rem;overflow-wrap:anywhere}
h2{font-size:1.15rem;margin:1.75rem 0 .6rem}
h3{font-size:1.05rem;margin:0}
.eyebrow{color:var(--muted);margin:0;font-size:.9rem}
.muted{color:var(--muted)}
.crumbs ol{display:flex;flex-wrap:wrap;gap:.25rem;list-style:none;margin:0;padding:0;font-size:.9rem}
.crumbs li+li::before{content:"/";color:var(--muted);margin-right:.25rem}
.subnav ul{display:flex;flex-wrap:wrap;gap:.25rem 1.25rem;list-style:none;margin:.25rem 0 1rem;padding:0;border-bottom:1px solid var(--line)}
.subnav a{display:inline-block;padding:.35rem 0;text-decoration:none}
.subnav a[aria-current="page"]{color:var(--fg);font-weight:600;border-bottom:3px solid var(--accent)}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem;margin:0}
dl.facts dt{color:var(--muted)}
dl.facts dd{margin:0;overflow-wrap:anywhere}
@media (max-width:40rem){dl.facts{grid-template-columns:1fr;gap:0}dl.facts dd{margin-bottom:.5rem}}
.notice{border-left:4px solid var(--bad);background:var(--card);padding:.6rem .85rem;margin:1rem 0}
.notice.ok{border-left-color:var(--ok)}
.status{display:inline-flex;align-items:center;gap:.3rem;font-weight:600;font-size:.875rem;padding:0 .5rem;border:1px solid currentColor;border-radius:999px;white-space:nowrap;line-height:1.6}
.status::before{content:"";display:inline-block;width:.55rem;height:.55rem;border-radius:50%;background:currentColor}
.s-Succeeded,.s-Approved{color:var(--ok)}
.s-Failed,.s-Rejected,.s-Expired{color:var(--bad)}
.s-InProgress,.s-Stopping{color:var(--run)}
.s-InProgress::before{animation:pulse 1.2s ease-in-out infinite}
.s-Pending,.s-Waiting{color:var(--warn)}
.s-Stopped,.s-Abandoned,.s-Superseded,.s-Cancelled,.s-Skipped{color:var(--warn)}
.s-NotStarted{color:var(--idle);font-weight:500}
.s-NotStarted::before{background:transparent;border:1px solid currentColor}
@keyframes pulse{50%{opacity:.35}}
@media (prefers-reduced-motion:reduce){.s-InProgress::before{animation:none}}
.table-wrap{overflow-x:auto;border:1px solid var(--line);border-radius:8px}
table{border-collapse:collapse;width:100%;font-size:.925rem}
th,td{text-align:left;padding:.5rem .65rem;border-bottom:1px solid var(--line);vertical-align:top}
th{color:var(--muted);font-weight:600;background:var(--card)}
tr:last-child td{border-bottom:0}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,24rem),1fr));gap:1rem}
.card{background:var(--raised);border:1px solid var(--line);border-radius:8px;padding:.85rem 1rem}
.card h2,.card h3{margin:0 0 .35rem}
.dots{display:flex;gap:.25rem;list-style:none;margin:.5rem 0 0;padding:0;flex-wrap:wrap}
.dots li{width:.9rem;height:.9rem;border-radius:3px;background:var(--idle-bar)}
.dots .d-Succeeded{background:var(--ok-bar)}.dots .d-Failed{background:var(--bad-bar)}.dots .d-InProgress,.dots .d-Stopping{background:var(--run-bar)}
.dots .d-Stopped,.dots .d-Superseded,.dots .d-Cancelled{background:var(--warn-bar)}
.board{display:grid;grid-auto-flow:column;grid-auto-columns:minmax(15rem,1fr);gap:.75rem;overflow-x:auto;padding-bottom:.5rem;align-items:start}
@media (max-width:48rem){.board{grid-auto-flow:row;grid-auto-columns:auto}}
.stage{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:.75rem;min-width:0}
.stage>header{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:baseline;gap:.35rem;margin-bottom:.5rem}
.stage .exec{font-size:.85rem;margin:.1rem 0 .5rem;overflow-wrap:anywhere}
.transition{border-top:1px dashed var(--line);margin-top:.75rem;padding-top:.6rem;font-size:.9rem}
.transition.off{border-top:2px solid var(--bad)}
.action{background:var(--raised);border:1px solid var(--line);border-left:4px solid var(--idle-bar);border-radius:6px;padding:.5rem .6rem;margin:.5rem 0}
.action.a-Succeeded{border-left-color:var(--ok-bar)}.action.a-Failed{border-left-color:var(--bad-bar)}
.action.a-InProgress{border-left-color:var(--run-bar)}.action.a-Abandoned{border-left-color:var(--warn-bar)}
.action h4{margin:0;font-size:.95rem;display:flex;flex-wrap:wrap;justify-content:space-between;gap:.3rem;overflow-wrap:anywhere}
.action p{margin:.25rem 0 0;font-size:.85rem;overflow-wrap:anywhere}
.more{font-size:.85rem;color:var(--muted);margin:.35rem 0 0}
form.inline{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end;margin:.4rem 0}
form.inline .field{max-width:26rem}
.transition summary,.stop summary{font-size:.875rem;color:var(--link)}
form.stack{display:grid;gap:.5rem;max-width:32rem}
label{font-weight:600;font-size:.9rem}
.field{display:grid;gap:.2rem;min-width:0;flex:1 1 10rem}
input,textarea,select{font:inherit;color:inherit;background:var(--bg);border:1px solid var(--muted);border-radius:6px;padding:.4rem .55rem;min-width:0;width:100%}
input[type=checkbox]{width:auto}
.check{display:flex;gap:.4rem;align-items:center;font-weight:500}
textarea{min-height:4.5rem;resize:vertical}
button,.button{display:inline-block;font:inherit;font-weight:600;font-size:.9rem;color:var(--on);background:var(--accent);border:1px solid transparent;border-radius:6px;padding:.4rem .8rem;cursor:pointer;text-decoration:none;min-height:2.25rem}
button.secondary,.button.secondary{color:var(--fg);background:var(--raised);border-color:var(--muted)}
button.ok,.approve{background:var(--ok-btn)}
button.bad,.reject{background:var(--bad)}
button:disabled{opacity:.6;cursor:not-allowed}
.buttons{display:flex;flex-wrap:wrap;gap:.5rem;margin-top:.5rem}
.approval{border-left:4px solid var(--warn-bar)}
.gantt{display:grid;grid-template-columns:minmax(7rem,14rem) 1fr minmax(4.5rem,max-content);gap:.15rem .75rem;align-items:center;font-size:.875rem}
.gantt .g-stage{font-weight:600}
.gantt .g-action{padding-left:1rem;overflow-wrap:anywhere}
.gantt svg{width:100%;height:1rem;display:block;background:var(--card);border-radius:3px}
.gantt .g-dur{text-align:right;font-variant-numeric:tabular-nums;color:var(--muted)}
.bar-Succeeded{fill:var(--ok-bar)}.bar-Failed{fill:var(--bad-bar)}.bar-InProgress,.bar-Stopping{fill:var(--run-bar)}
.bar-Abandoned,.bar-Stopped,.bar-Cancelled,.bar-Skipped,.bar-Superseded{fill:var(--warn-bar)}.bar-NotStarted{fill:var(--idle-bar)}
@media (max-width:40rem){.gantt{grid-template-columns:1fr auto}.gantt svg{grid-column:1 / -1}}
.trend{width:100%;height:8rem;display:block;background:var(--card);border:1px solid var(--line);border-radius:8px}
.trend .axis{stroke:var(--muted)}
figure{margin:0}
figcaption{font-size:.9rem;margin-top:.35rem}
.filters{display:flex;flex-wrap:wrap;gap:.75rem;align-items:flex-end;margin:0 0 1rem}
.filters .field{flex:0 1 12rem}
.pager{display:flex;gap:1rem;margin-top:.75rem}
pre.log{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:.6rem;max-height:24rem;overflow:auto;white-space:pre-wrap;overflow-wrap:anywhere;margin:.4rem 0}
details{margin:.4rem 0}
summary{cursor:pointer}
.events td:nth-child(4){white-space:pre-wrap;overflow-wrap:anywhere}
.kv{display:flex;flex-wrap:wrap;gap:.4rem}
.kv code{background:var(--card);border:1px solid var(--line);border-radius:4px;padding:0 .3rem}
.custom{white-space:pre-wrap;overflow-wrap:anywhere;background:var(--card);border:1px solid var(--line);border-radius:6px;padding:.75rem;margin:0}
.grid2{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,20rem),1fr));gap:1rem}
`;
