// The body worker thread: runs prepare.ts's tasks on large bodies, off the server's event loop.

import { parentPort } from 'node:worker_threads';
import { HttpError } from '../http-error.js';
import { runTask } from './prepare.js';
import type { Task } from './prepare.js';

parentPort?.on('message', (m: { id: number; task: Task }) => {
  try {
    parentPort!.postMessage({ id: m.id, ok: true, value: runTask(m.task) });
  } catch (e) {
    const status = e instanceof HttpError ? e.statusCode : 500;
    const message = e instanceof Error ? e.message : String(e);
    parentPort!.postMessage({ id: m.id, ok: false, status, message });
  }
});
