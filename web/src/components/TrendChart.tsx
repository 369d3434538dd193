// The fleet's verdicts day by day as stacked bars, with the same numbers in a table for screen readers.

import { URGENCY } from '../../../src/core/report.js';
import type { TrendDay } from '../api/types.js';

export function TrendChart({ days }: { days: TrendDay[] }) {
  const totals = days.map((d) => URGENCY.reduce((n, v) => n + (d.verdicts[v] ?? 0), 0));
  const max = Math.max(1, ...totals);
  const W = 1200;
  const H = 140;
  const bar = W / Math.max(1, days.length);
  return (
    <figure className="trend">
      <svg viewBox={`0 0 ${W} ${H + 18}`} role="img" aria-labelledby="trend-caption">
        {days.map((d, i) => {
          let y = H;
          return (
            <g key={d.day}>
              <title>{`${d.day}: ${URGENCY.map((v) => `${d.verdicts[v] ?? 0} ${v}`).join(', ')}; ${d.scans} scans`}</title>
              {URGENCY.map((v) => {
                const h = ((d.verdicts[v] ?? 0) / max) * (H - 4);
                y -= h;
                return h > 0 ? (
                  <rect
                    key={v}
                    x={i * bar + 1}
                    y={y}
                    width={Math.max(1, bar - 2)}
                    height={h}
                    className={`fill-${v}`}
                  />
                ) : null;
              })}
              {i % Math.ceil(days.length / 6) === 0 ? (
                <text x={i * bar + bar / 2} y={H + 14} textAnchor="middle" className="axis">
                  {d.day.slice(5)}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <figcaption id="trend-caption">
        Servers by verdict over the last {days.length} days (latest scan as of each day, UTC).{' '}
        <span className="legend">
          {URGENCY.map((v) => (
            <span key={v} className="legend-item">
              <span className={`swatch fill-${v}`} aria-hidden="true" /> {v}
            </span>
          ))}
        </span>
      </figcaption>
      <table className="visually-hidden">
        <caption>Servers by verdict per day</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            {URGENCY.map((v) => (
              <th key={v} scope="col">
                {v}
              </th>
            ))}
            <th scope="col">scans</th>
          </tr>
        </thead>
        <tbody>
          {days.map((d) => (
            <tr key={d.day}>
              <th scope="row">{d.day}</th>
              {URGENCY.map((v) => (
                <td key={v}>{d.verdicts[v] ?? 0}</td>
              ))}
              <td>{d.scans}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
