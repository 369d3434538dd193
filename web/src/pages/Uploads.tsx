// Uploads: drop an evidence bundle (.zip), watch it being sent and scanned, then land on the result. The
// bundle being watched is in the address, so a reload keeps watching.

import { useEffect, useId, useState } from 'react';
import type { DragEvent, FormEvent } from 'react';
import { ApiError, get, uploadBundle } from '../api/client.js';
import { useApi } from '../api/hooks.js';
import type { BundleView } from '../api/types.js';
import { ErrorBox } from '../components/Status.js';
import { bytes } from '../format.js';
import { navigate, useParam } from '../router.js';
import { can, useSession } from '../session.js';
import { useTitle } from '../title.js';
import { formText } from '../form.js';

const POLL_MS = 1000;

export function UploadsPage() {
  useTitle('Upload evidence');
  const { me } = useSession();
  const [bundleParam, setBundleParam] = useParam('bundle');
  if (!can(me, 'analyst')) return <p>Uploading evidence needs the analyst role.</p>;
  return (
    <>
      <div className="page-head">
        <h1>Upload evidence</h1>
      </div>
      <UploadForm onUploaded={(b) => setBundleParam(String(b.id))} />
      {bundleParam ? <Watch id={Number(bundleParam)} /> : null}
    </>
  );
}

function UploadForm({ onUploaded }: { onUploaded(b: BundleView): void }) {
  const { me } = useSession();
  const admin = me.role === 'administrator';
  const orgs = useApi('/organisations', admin ? '/organisations' : null);
  const [file, setFile] = useState<File>();
  const [over, setOver] = useState(false);
  const [progress, setProgress] = useState<{ sent: number; total: number }>();
  const [error, setError] = useState<string>();
  const ids = { server: useId(), org: useId(), file: useId() };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    const f = e.dataTransfer.files[0];
    if (f) setFile(f);
  };
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    if (!file) return setError('choose or drop a .zip first');
    setError(undefined);
    setProgress({ sent: 0, total: file.size });
    try {
      const b = await uploadBundle(
        file,
        { server: formText(form, 'server').trim(), ...(admin ? { org: formText(form, 'org') } : {}) },
        (sent, total) => setProgress({ sent, total }),
      );
      onUploaded(b);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'upload failed');
    } finally {
      setProgress(undefined);
    }
  };
  return (
    <form className="upload" onSubmit={submit}>
      {admin ? (
        <>
          <label htmlFor={ids.org}>Organisation</label>
          <select id={ids.org} name="org" required>
            {(orgs.data?.items ?? []).map((o) => (
              <option key={o.id} value={o.name}>
                {o.name}
              </option>
            ))}
          </select>
        </>
      ) : null}
      <label htmlFor={ids.server}>Exchange server the evidence is from</label>
      <input id={ids.server} name="server" required maxLength={255} placeholder="EX01" />
      <label htmlFor={ids.file}>Evidence bundle (.zip)</label>
      <div
        className={`dropzone${over ? ' over' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      >
        <input
          id={ids.file}
          type="file"
          accept=".zip,application/zip"
          onChange={(e) => setFile(e.target.files?.[0])}
        />
        <p>{file ? `${file.name} · ${bytes(file.size)}` : 'Drop the .zip here, or choose it above.'}</p>
      </div>
      <button type="submit" className="primary" disabled={!!progress}>
        Upload and scan
      </button>
      {progress ? (
        <p role="status">
          Sending <progress max={progress.total} value={progress.sent} /> {bytes(progress.sent)} of{' '}
          {bytes(progress.total)}
        </p>
      ) : null}
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}

const WORDS: Record<BundleView['status'], string> = {
  queued: 'Uploaded; waiting for a worker to scan it…',
  running: 'Scanning the evidence…',
  done: 'Scanned. Opening the result…',
  failed: 'The scan failed',
};

/** Asks for the bundle's status until it is done (then opens the server's page) or failed. */
function Watch({ id }: { id: number }) {
  const [bundle, setBundle] = useState<BundleView>();
  const [error, setError] = useState<ApiError>();
  useEffect(() => {
    let stop = false;
    let timer = 0;
    const poll = async () => {
      try {
        const b = await get('/bundles/:id', `/bundles/${id}`);
        if (stop) return;
        setBundle(b);
        if (b.status === 'done' && b.scanId) navigate(`/servers/${b.serverId}?scan=${b.scanId}`);
        else if (b.status !== 'failed') timer = window.setTimeout(poll, POLL_MS);
      } catch (e) {
        if (!stop) setError(e instanceof ApiError ? e : new ApiError(0, String(e)));
      }
    };
    void poll();
    return () => {
      stop = true;
      window.clearTimeout(timer);
    };
  }, [id]);
  if (error) return <ErrorBox error={error} />;
  if (!bundle) return null;
  return (
    <section aria-labelledby="watch-h" className="watch">
      <h2 id="watch-h">
        Bundle {bundle.id} for {bundle.server}
      </h2>
      <ol className="progress-steps" aria-live="polite">
        {(['queued', 'running', 'done'] as const).map((s) => (
          <li key={s} className={step(bundle.status, s)}>
            {s === 'queued' ? 'Uploaded' : s === 'running' ? 'Scanning' : 'Result'}
          </li>
        ))}
      </ol>
      <p role="status">{WORDS[bundle.status]}</p>
      {bundle.error ? <pre className="excerpt">{bundle.error}</pre> : null}
      <p className="muted small mono">SHA-256 {bundle.sha256}</p>
    </section>
  );
}

function step(current: BundleView['status'], s: 'queued' | 'running' | 'done'): string {
  const order = { queued: 0, running: 1, done: 2, failed: 1 };
  return order[current] > order[s] ? 'past' : order[current] === order[s] ? 'now' : 'later';
}
