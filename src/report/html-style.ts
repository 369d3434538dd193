// The HTML report's stylesheet, inline so the file stands alone; readable on screen and on paper.

export const CSS = `
:root { --fg: #1b1f23; --muted: #57606a; --line: #d0d7de; --bg-soft: #f6f8fa;
  --red: #b42318; --orange: #b54708; --yellow: #8a6d00; --green: #1a7f37; --purple: #6f42c1; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg);
  max-width: 1200px; margin: 0 auto; padding: 24px; }
h1 { font-size: 26px; margin: 0 0 8px; } h2 { font-size: 20px; margin: 32px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 16px; margin: 20px 0 6px; } h4 { margin: 12px 0 4px; }
header.meta { color: var(--muted); font-size: 12px; margin-bottom: 16px; }
code, pre { font: 12px/1.4 ui-monospace, SFMono-Regular, Consolas, monospace; }
pre { white-space: pre-wrap; word-break: break-all; background: var(--bg-soft); padding: 6px 8px; margin: 4px 0; border-radius: 4px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; }
th, td { border: 1px solid var(--line); padding: 4px 6px; vertical-align: top; text-align: left; word-break: break-word; }
th { background: var(--bg-soft); font-weight: 600; }
.summary { border: 2px solid var(--line); border-radius: 8px; padding: 16px 20px; }
.summary.v-compromised, .summary.v-exploited { border-color: var(--red); }
.summary.v-attempted { border-color: var(--orange); } .summary.v-clean { border-color: var(--green); }
.summary.v-inconclusive { border-color: var(--purple); }
.verdict { display: inline-block; font-weight: 700; padding: 2px 10px; border-radius: 4px; color: #fff; background: var(--muted); }
.v-compromised .verdict, .v-exploited .verdict { background: var(--red); } .v-attempted .verdict { background: var(--orange); }
.v-clean .verdict { background: var(--green); } .v-inconclusive .verdict { background: var(--purple); }
.cols { display: grid; grid-template-columns: repeat(3, 1fr); gap: 16px; }
.cols h3 { margin-top: 8px; }
.badge { display: inline-block; padding: 0 6px; border-radius: 3px; font-size: 12px; border: 1px solid var(--line); white-space: nowrap; }
.o-compromise, .c-seen { color: var(--red); border-color: var(--red); } .o-success, .c-likely { color: var(--orange); border-color: var(--orange); }
.o-attempt, .o-probe, .c-possible { color: var(--yellow); border-color: var(--yellow); }
.muted, .note { color: var(--muted); } .small { font-size: 12px; } .nowrap { white-space: nowrap; }
nav ol { columns: 2; } nav a { color: inherit; }
.event { border-left: 4px solid var(--line); padding: 2px 0 2px 10px; margin: 6px 0; } .event summary { cursor: pointer; }
.step { border-left: 4px solid var(--line); padding: 2px 0 2px 12px; margin: 14px 0; break-inside: avoid; }
.step.p-preserve { border-color: var(--purple); } .step.p-contain, .step.p-eradicate { border-color: var(--red); }
.step.p-recover { border-color: var(--orange); } .step.p-patch { border-color: var(--green); }
.handoff { border: 1px solid var(--line); border-radius: 4px; padding: 0 12px; margin: 12px 0; }
.checklist-item .status { margin-bottom: 0; } .checklist-item.status-done h3, .checklist-item.status-wont-fix h3 { color: var(--muted); }
@media (max-width: 800px) { .cols { grid-template-columns: 1fr; } }
@media print {
  body { max-width: none; padding: 0; font-size: 11px; } nav { display: none; }
  .summary { break-after: page; } h2, h3 { break-after: avoid; } tr { break-inside: avoid; }
  .cols { grid-template-columns: repeat(3, 1fr); } a { color: inherit; text-decoration: none; }
}
`;
