// The page's one stylesheet. The Content-Security-Policy allows exactly this text by its hash, so
// nothing else can style (or script) the page; system fonts only, nothing fetched.
import { createHash } from 'node:crypto';

export const REPORT_CSS = `
:root{color-scheme:light;--fg:#1d1f23;--muted:#5b6270;--line:#d9dce1;--bg:#fff;--panel:#f6f7f9}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--fg);background:var(--bg)}
header,main,footer{max-width:1100px;margin:0 auto;padding:0 20px}
header{padding-top:20px;border-bottom:1px solid var(--line)}
h1{font-size:24px;margin:0 0 4px}
h2{font-size:19px;margin:32px 0 8px;padding-bottom:4px;border-bottom:1px solid var(--line)}
h3{font-size:15px;margin:0}
nav ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:4px 16px}
a{color:#1f5fa8}
.note,.empty{color:var(--muted);margin:2px 0 8px}
.stats{display:grid;grid-template-columns:repeat(auto-fill,minmax(160px,1fr));gap:8px;margin:0}
.stats div{background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:8px 10px}
.stats dt{color:var(--muted);font-size:12px}
.stats dd{margin:0;font-size:18px;font-weight:600;overflow-wrap:anywhere}
figure{margin:16px 0 24px}
figcaption{margin-bottom:6px}
svg.chart{display:block;max-width:100%;height:auto;font-size:12px}
svg.chart .grid{stroke:#e6e8eb;stroke-width:1}
svg.chart .axis{stroke:#8a909a;stroke-width:1}
svg.chart .tick{fill:var(--muted);font-size:11px}
svg.chart .label,svg.chart .value{fill:var(--fg)}
.legend{list-style:none;display:flex;gap:14px;padding:0;margin:4px 0 0 48px;font-size:12px}
details{margin-top:6px}
summary{cursor:pointer;color:var(--muted)}
table{border-collapse:collapse;margin:6px 0;font-size:13px}
th,td{border:1px solid var(--line);padding:3px 8px;text-align:left;vertical-align:top;overflow-wrap:anywhere}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.incident{border:1px solid var(--line);border-radius:8px;padding:12px 16px;margin:16px 0;background:var(--panel)}
.incident>h3{font-size:16px}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:8px 0}
.facts dt{color:var(--muted)}
.facts dd{margin:0;overflow-wrap:anywhere}
.findings{list-style:none;padding:0;margin:0}
.finding{background:var(--bg);border:1px solid var(--line);border-left-width:5px;border-radius:6px;padding:8px 12px;margin:8px 0}
.finding.sev1{border-left-color:#6f9fd8}.finding.sev2{border-left-color:#e6b32e}.finding.sev3{border-left-color:#e07b24}.finding.sev4{border-left-color:#b2182b}
.badge{display:inline-block;border-radius:4px;padding:0 6px;font-size:12px;font-weight:600;color:#fff}
.badge.sev1{background:#4a7fbf}.badge.sev2{background:#9c7410}.badge.sev3{background:#b35a12}.badge.sev4{background:#b2182b}
.message{margin:4px 0}
code,pre{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;overflow-wrap:anywhere}
pre{white-space:pre-wrap;background:var(--panel);border:1px solid var(--line);border-radius:4px;padding:4px 6px;margin:2px 0}
footer{color:var(--muted);font-size:12px;padding:24px 20px}
@media print{details{display:block}nav{display:none}}
`.trim();

/** The CSP source that allows REPORT_CSS and nothing else. */
export const REPORT_CSS_HASH = `'sha256-${createHash('sha256').update(REPORT_CSS).digest('base64')}'`;
