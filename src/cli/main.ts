// exhunt's command line: picks the command from the table and maps errors to exit codes; the commands hold
// no logic.

import { COMMANDS, findCommand } from './commands.js';
import type { Io } from './io.js';
import { EXIT, UsageError } from './io.js';

const width = Math.max(...COMMANDS.map((c) => c.synopsis.length), 'help [command]'.length) + 2;
const line = (synopsis: string, summary: string) => `  ${synopsis.padEnd(width)}${summary}\n`;

export const HELP = `exhunt: incident response for on-premises Microsoft Exchange servers

Usage: exhunt <command> [options]

Commands:
${COMMANDS.map((c) => line(c.synopsis, c.summary)).join('')}${line('help [command]', "this text, or a command's options")}
Exit codes: 0 clean, 1 attempted, 3 exploited, 4 compromised, 5 inconclusive, 2 error.
`;

export async function main(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    if (name === 'help' && rest[0]) {
      const spec = findCommand(rest[0]);
      if (!spec) {
        io.err.write(`exhunt help: unknown command "${rest[0]}"\n\n${HELP}`);
        return EXIT.error;
      }
      io.out.write((await spec.load()).help);
      return EXIT.clean;
    }
    io.out.write(HELP);
    return name ? EXIT.clean : EXIT.error;
  }
  const spec = findCommand(name === '--version' ? 'version' : name);
  if (!spec) {
    io.err.write(`exhunt: unknown command "${name}"\n\n${HELP}`);
    return EXIT.error;
  }
  try {
    return await (await spec.load()).run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err.write(`exhunt ${spec.name}: ${e.message}\n\n${e.help}`);
      return EXIT.error;
    }
    const code = (e as { code?: string }).code;
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      io.err.write(`exhunt ${spec.name}: ${(e as Error).message}\n`);
      return EXIT.error;
    }
    io.err.write(`exhunt ${spec.name}: ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT.error;
  }
}
