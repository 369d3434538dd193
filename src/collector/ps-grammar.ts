// Test helper: parses PowerShell with tree-sitter-powershell's grammar (web-tree-sitter), so a syntax error in
// a generated script fails the tests. Absent packages give `undefined` and the tests say why they skip.

import { createRequire } from 'node:module';

interface Node {
  type: string;
  isMissing: boolean;
  startPosition: { row: number; column: number };
  children: Node[];
  hasError: boolean;
}

export interface SyntaxIssue {
  /** 1-based. */
  line: number;
  column: number;
  kind: 'ERROR' | 'MISSING';
  /** The node type the grammar expected, for MISSING. */
  what: string;
}

type PowerShellParser = (source: string) => SyntaxIssue[];

/** A parser, or the reason there is none (the packages are not installed). */
export async function loadPowerShellParser(): Promise<PowerShellParser | string> {
  const require = createRequire(import.meta.url);
  let wasm: string;
  let lib: {
    Parser: {
      init(): Promise<void>;
      new (): { setLanguage(l: unknown): void; parse(s: string): { rootNode: Node } };
    };
    Language: { load(path: string): Promise<unknown> };
  };
  try {
    wasm = require.resolve('tree-sitter-powershell/tree-sitter-powershell.wasm');
    const name = 'web-tree-sitter';
    lib = (await import(name)) as typeof lib;
  } catch (e) {
    return `web-tree-sitter and tree-sitter-powershell are not installed (${(e as Error).message.split('\n')[0]})`;
  }
  await lib.Parser.init();
  const language = await lib.Language.load(wasm);
  const parser = new lib.Parser();
  parser.setLanguage(language);
  return (source) => {
    const issues: SyntaxIssue[] = [];
    const walk = (n: Node) => {
      if (n.type === 'ERROR' || n.isMissing) {
        const kind = n.isMissing ? 'MISSING' : 'ERROR';
        issues.push({
          line: n.startPosition.row + 1,
          column: n.startPosition.column + 1,
          kind,
          what: n.type,
        });
        return;
      }
      if (n.hasError) for (const c of n.children) walk(c);
    };
    walk(parser.parse(source).rootNode);
    return issues;
  };
}
