// `exhunt completion bash|powershell`: a completion script made from the command table (commands, their
// sub-commands, and the options each command's help names), so completion never lists what does not exist.

import type { Io } from './io.js';
import { EXIT, UsageError } from './io.js';

export const COMPLETION_HELP = `Usage: exhunt completion bash|powershell

  Prints a script that completes exhunt's commands, sub-commands and options (file names elsewhere).

  bash:        source <(exhunt completion bash)
               or save it: exhunt completion bash > /etc/bash_completion.d/exhunt
  PowerShell:  exhunt completion powershell | Out-String | Invoke-Expression
               (add that line to $PROFILE to keep it)
`;

export const COMPLETION_SHELLS = ['bash', 'powershell'] as const;

/**
 * The options a command's help text names (`--format`, `-o`): what completion offers after a dash. Taken
 * from the help so that the two cannot disagree.
 */
export function optionsIn(help: string): string[] {
  const found = new Set<string>();
  for (const m of help.matchAll(/(?<![\w-])(--[a-z][a-z0-9-]*|-[a-zA-Z])(?![\w-])/g))
    found.add(m[1] as string);
  found.add('--help');
  return [...found].sort();
}

/** What completion reads of the command table (commands.ts), said here so the two modules stay acyclic. */
export interface CommandSpec {
  name: string;
  subcommands?: readonly string[];
  load(): Promise<{ help: string }>;
}

/** What completion needs of one command. */
export interface CompletionEntry {
  name: string;
  subcommands: readonly string[];
  options: readonly string[];
}

/** Words that go into the scripts unquoted: our own names, checked so a typo cannot inject shell syntax. */
function safe(words: readonly string[]): readonly string[] {
  for (const w of words)
    if (!/^-{0,2}[A-Za-z0-9][A-Za-z0-9-]*$/.test(w))
      throw new Error(`not a plain command or option word: ${JSON.stringify(w)}`);
  return words;
}

/** The table's entries, each with the options its help names; `help` completes command names. */
export async function completionEntries(table: readonly CommandSpec[]): Promise<CompletionEntry[]> {
  const out: CompletionEntry[] = [];
  for (const c of table)
    out.push({
      name: c.name,
      subcommands: safe(c.subcommands ?? []),
      options: safe(optionsIn((await c.load()).help)),
    });
  out.push({ name: 'help', subcommands: safe(table.map((c) => c.name)), options: [] });
  return out;
}

const TOP_LEVEL_FLAGS = ['--help', '--version'];

export function bashScript(entries: readonly CompletionEntry[], version: string): string {
  const top = [...entries.map((e) => e.name), ...TOP_LEVEL_FLAGS].join(' ');
  const cases = entries
    .map((e) => {
      const branches: string[] = [];
      if (e.options.length > 0) branches.push(`if [[ $cur == -* ]]; then words='${e.options.join(' ')}'`);
      if (e.subcommands.length > 0)
        branches.push(
          `${branches.length ? 'elif' : 'if'} (( COMP_CWORD == 2 )); then words='${e.subcommands.join(' ')}'`,
        );
      return branches.length ? `      ${e.name}) ${branches.join('; ')}; fi ;;` : `      ${e.name}) ;;`;
    })
    .join('\n');
  return `# bash completion for exhunt ${version}, written by \`exhunt completion bash\`. Load it with
#   source <(exhunt completion bash)
# Commands, sub-commands and options are completed; anything else falls back to file names.
_exhunt_complete() {
  local cur=\${COMP_WORDS[COMP_CWORD]} words=''
  COMPREPLY=()
  if (( COMP_CWORD == 1 )); then
    words='${top}'
  else
    case \${COMP_WORDS[1]} in
${cases}
    esac
  fi
  if [[ -n $words ]]; then
    mapfile -t COMPREPLY < <(compgen -W "$words" -- "$cur")
  fi
  return 0
}
complete -o default -F _exhunt_complete exhunt
`;
}

const psList = (words: readonly string[]) => `@(${words.map((w) => `'${w}'`).join(', ')})`;

export function powershellScript(entries: readonly CompletionEntry[], version: string): string {
  const table = entries
    .map(
      (e) => `    '${e.name}' = @{ Subcommands = ${psList(e.subcommands)}; Options = ${psList(e.options)} }`,
    )
    .join('\n');
  return `# PowerShell completion for exhunt ${version}, written by \`exhunt completion powershell\`. Load it with
#   exhunt completion powershell | Out-String | Invoke-Expression
# Commands, sub-commands and options are completed; anything else is left to PowerShell (file names).
Register-ArgumentCompleter -Native -CommandName 'exhunt', 'exhunt.exe' -ScriptBlock {
  param($wordToComplete, $commandAst, $cursorPosition)
  $commands = @{
${table}
  }
  # The words before the cursor; the one being typed is not yet part of the command line.
  $words = @($commandAst.CommandElements |
      Where-Object { $_.Extent.EndOffset -le $cursorPosition } |
      ForEach-Object { $_.ToString() })
  if ($wordToComplete -ne '') { $words = @($words | Select-Object -SkipLast 1) }
  $candidates = @()
  if ($words.Count -le 1) {
    $candidates = @($commands.Keys) + ${psList(TOP_LEVEL_FLAGS)}
  } elseif ($commands.ContainsKey($words[1])) {
    $spec = $commands[$words[1]]
    if ($wordToComplete.StartsWith('-')) {
      $candidates = $spec.Options
    } elseif ($words.Count -eq 2) {
      $candidates = $spec.Subcommands
    }
  }
  $candidates | Where-Object { $_ -like "$wordToComplete*" } | Sort-Object | ForEach-Object {
    [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
  }
}
`;
}

export async function completionCommand(
  argv: string[],
  io: Io,
  table: readonly CommandSpec[],
  version: string,
): Promise<number> {
  const [shell, ...rest] = argv;
  if (shell === '--help' || shell === '-h') {
    io.out.write(COMPLETION_HELP);
    return EXIT.clean;
  }
  if (!shell || !(COMPLETION_SHELLS as readonly string[]).includes(shell) || rest.length > 0)
    throw new UsageError(`say which shell: ${COMPLETION_SHELLS.join(' or ')}`, COMPLETION_HELP);
  const entries = await completionEntries(table);
  io.out.write(shell === 'bash' ? bashScript(entries, version) : powershellScript(entries, version));
  return EXIT.clean;
}
