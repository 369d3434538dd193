// The ECP Server log's EventData format, `S:KEY=value;` pairs, shared by its source and its detectors.

/**
 * Values may themselves contain `;` (a script payload does), so keys are found by their `S:KEY=` shape
 * rather than by splitting on `;`.
 */
export function parseEcpEventData(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /(?:^|;|,)'?S:([A-Z][A-Z0-9]*)=/g;
  const starts: { key: string; at: number; end: number }[] = [];
  for (let m = re.exec(text); m; m = re.exec(text))
    starts.push({ key: m[1] ?? '', at: m.index, end: re.lastIndex });
  starts.forEach((s, i) => {
    const next = starts[i + 1];
    let value = text.slice(s.end, next ? next.at : text.length);
    if (!next && value.endsWith(';')) value = value.slice(0, -1);
    if (!out.has(s.key)) out.set(s.key, value);
  });
  return out;
}
