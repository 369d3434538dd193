// `exhunt rules lint|test <dir>...`: argv → rule packs checked or rule tests run → text or JSON, exit code.

import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadRulePacks, ruleTestEvaluator } from '../engine/sigma.js';
import type { RulePacks } from '../engine/sigma.js';
import { formatProblem, formatResult, lintReport, parseRuleTests, passed } from '../rules/sigma/index.js';
import type { CaseResult, RuleError, RuleTestDoc } from '../rules/sigma/index.js';
import type { Io } from './io.js';
import { EXIT, UsageError } from './io.js';

export const RULES_HELP = `Usage: exhunt rules lint <dir-or-file>... [options]
       exhunt rules test <dir-or-file>... [options]

  lint    load every Sigma rule, correlation and filter; print each problem as file:line:column,
          then how many rules load, how many would be skipped (grouped by reason), and how many
          the mapping sends to no exhunt source
  test    run the rule tests (YAML documents with rule, source, tests; see rules/tests/README.md)
          against the rules in the same folders, the way a scan reads evidence

Options:
  --json              machine-readable output on stdout
  --mapping FILE      Sigma log-source and field mapping merged over ours (repeatable)
  --require-tests     test: every rule must have a match and a no-match case

Exit codes: 0 all rules load (lint) or every test passes (test), 1 otherwise, 2 usage error.
`;

export async function rulesCommand(argv: string[], io: Io): Promise<number> {
  const [sub, ...rest] = argv;
  if (!sub || sub === '--help' || sub === '-h' || sub === 'help') {
    io.out.write(RULES_HELP);
    return sub ? EXIT.clean : EXIT.error;
  }
  if (sub !== 'lint' && sub !== 'test') throw new UsageError(`unknown rules command "${sub}"`, RULES_HELP);
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      json: { type: 'boolean' },
      mapping: { type: 'string', multiple: true },
      'require-tests': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.out.write(RULES_HELP);
    return EXIT.clean;
  }
  if (positionals.length === 0)
    throw new UsageError(`rules ${sub} needs at least one folder or file`, RULES_HELP);
  for (const p of [...positionals, ...(values.mapping ?? [])]) {
    await stat(p).catch(() => {
      throw new UsageError(`no such file or folder: ${p}`, RULES_HELP);
    });
  }
  const packs = await loadRulePacks({
    builtinRules: false,
    rulePaths: positionals,
    mappingPaths: values.mapping ?? [],
  });
  return sub === 'lint'
    ? lint(packs, io, values.json === true)
    : test(packs, positionals, io, values.json === true, values['require-tests'] === true);
}

function lint(packs: RulePacks, io: Io, json: boolean): number {
  const report = lintReport({
    errors: packs.errors,
    loaded: packs.compiled.size + packs.correlations.length,
    notApplicable: packs.plan.notApplicable,
  });
  const code = report.problems.length === 0 ? EXIT.clean : 1;
  if (json) {
    io.out.write(JSON.stringify(report, null, 2) + '\n');
    return code;
  }
  for (const p of report.problems) io.out.write(formatProblem(p) + '\n');
  if (report.problems.length > 0) io.out.write('\n');
  io.out.write(
    `${report.loaded} rules load and can run, ${report.skipped} would be skipped, ${packs.plan.notApplicable.length} load but no exhunt source reads their log source.\n`,
  );
  if (report.reasons.length > 0) io.out.write('\nSkipped, by reason:\n');
  for (const r of report.reasons) io.out.write(`  ${String(r.count).padStart(5)}  ${r.reason} [${r.code}]\n`);
  if (report.notApplicable.length > 0) io.out.write('\nNot applicable under the mapping, by log source:\n');
  for (const n of report.notApplicable) io.out.write(`  ${String(n.count).padStart(5)}  ${n.logsource}\n`);
  return code;
}

async function test(
  packs: RulePacks,
  roots: string[],
  io: Io,
  json: boolean,
  requireAll: boolean,
): Promise<number> {
  const docs: RuleTestDoc[] = [];
  const fileErrors: RuleError[] = [];
  let files = 0;
  for (const f of await yamlFiles(roots)) {
    const parsed = parseRuleTests(await readFile(f, 'utf8'), f.replace(/\\/g, '/'));
    if (parsed.docs.length > 0 || parsed.errors.length > 0) files++;
    docs.push(...parsed.docs);
    fileErrors.push(...parsed.errors);
  }
  const evaluate = ruleTestEvaluator(packs);
  const results: CaseResult[] = docs.flatMap((d) => d.cases.map((c) => evaluate(d, c)));
  const missing: { id: string; title: string; path: string; lacks: string[] }[] = [];
  if (requireAll) {
    for (const r of packs.rules) {
      if (!packs.compiled.has(r.id)) continue;
      const mine = results.filter((x) => x.ruleId === r.id && x.got !== 'error');
      const lacks = (['match', 'no-match'] as const).filter((e) => !mine.some((x) => x.expect === e));
      if (lacks.length > 0) missing.push({ id: r.id, title: r.title, path: r.path, lacks: [...lacks] });
    }
  }
  const failed = results.filter((r) => !passed(r));
  const ok = failed.length === 0 && fileErrors.length === 0 && missing.length === 0;
  if (json) {
    io.out.write(
      JSON.stringify(
        { ok, files, cases: results.length, failed: failed.length, results, fileErrors, missing },
        null,
        2,
      ) + '\n',
    );
    return ok ? EXIT.clean : 1;
  }
  for (const r of results) io.out.write(formatResult(r) + '\n');
  for (const e of fileErrors) io.out.write(`ERROR ${formatProblem(e)}\n`);
  for (const m of missing)
    io.out.write(`MISSING ${m.path}  ${m.title} (${m.id}): no ${m.lacks.join(' and no ')} case\n`);
  io.out.write(
    `\n${results.length} cases in ${files} test files: ${results.length - failed.length} passed, ${failed.filter((r) => r.got !== 'error').length} failed, ${failed.filter((r) => r.got === 'error').length} could not run${fileErrors.length > 0 ? `; ${fileErrors.length} problems in test files` : ''}${missing.length > 0 ? `; ${missing.length} rules lack tests` : ''}.\n`,
  );
  return ok ? EXIT.clean : 1;
}

/** YAML files under the given folders (and the files given), in a stable order. */
async function yamlFiles(roots: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  const walk = async (p: string): Promise<void> => {
    const st = await stat(p);
    if (st.isFile()) {
      if (/\.ya?ml$/i.test(p)) out.push(p);
      return;
    }
    if (!st.isDirectory()) return;
    const entries = await readdir(p, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) if (e.isDirectory() || e.isFile()) await walk(path.join(p, e.name));
  };
  for (const r of roots) await walk(r);
  return out;
}
