// Worker thread entry: renders the chunk ranges the pool sends and hands the JSON bytes back.
import { parentPort } from 'node:worker_threads';
import { renderRange, type RangeJob } from './range.js';

parentPort?.on('message', (msg: { id: number; job: RangeJob }) => {
  try {
    const result = renderRange(msg.job);
    // Transfer the bytes instead of copying them: the output of a job can be megabytes.
    const transfer = result.json.buffer instanceof ArrayBuffer ? [result.json.buffer] : [];
    parentPort?.postMessage({ id: msg.id, result }, transfer);
  } catch (e) {
    parentPort?.postMessage({ id: msg.id, error: e instanceof Error ? e.message : String(e) });
  }
});
