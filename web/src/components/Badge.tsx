// Verdict, outcome and status badges: the word is always written out, colour only reinforces it.

const VERDICT_WORDS: Record<string, string> = {
  compromised: 'Compromised',
  exploited: 'Exploited',
  attempted: 'Attempted',
  inconclusive: 'Inconclusive',
  clean: 'Clean',
};

export function VerdictBadge({ verdict }: { verdict: string | null | undefined }) {
  const v = verdict ?? 'unscanned';
  return <span className={`badge verdict-${v}`}>{VERDICT_WORDS[v] ?? 'Not scanned'}</span>;
}

export function OutcomeBadge({ outcome }: { outcome: string }) {
  return <span className={`badge outcome-${outcome}`}>{outcome}</span>;
}

export function Tag({ children }: { children: string }) {
  return <span className="tag">{children}</span>;
}
